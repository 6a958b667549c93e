using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using Xunit.Abstractions;

namespace MeTAI.Hil.Tests.Scenarios;

public class ScratchTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Scratch()
    {
        string name = Environment.GetEnvironmentVariable("HIL_SCRATCH") ?? "heartbeat-loss";
        Scenario s = ScenarioFile.Load(Path.Combine(TestRobots.RepositoryRoot(), "configs", "hil", name + ".yaml"));
        string dir = Path.Combine(Path.GetTempPath(), "hil-scratch", name);
        ScenarioResult r = await ScenarioRunner.RunAsync(s, new ScenarioRunOptions { ReportDirectory = dir, Log = output.WriteLine, Beams = s.Radiotherapy?.PlanPath is { } plan ? PlanBeams.Read(plan) : null });
        output.WriteLine(r.Error ?? "");
        foreach (AssertionResult a in r.Assertions)
        {
            output.WriteLine($"{a.Id}: {(a.Passed ? "pass" : "FAIL")} — {a.Detail}");
        }

        Reports.HilReport.Write([r], dir);
        Assert.True(r.Passed);
    }
}
