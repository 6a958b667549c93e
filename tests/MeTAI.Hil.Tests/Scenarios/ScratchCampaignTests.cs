using MeTAI.Hil.Campaigns;
using Xunit.Abstractions;

namespace MeTAI.Hil.Tests.Scenarios;

public class ScratchCampaignTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ScratchCampaign()
    {
        int runs = int.Parse(Environment.GetEnvironmentVariable("HIL_RUNS") ?? "20", System.Globalization.CultureInfo.InvariantCulture);
        CampaignResult r = await Campaign.RunAsync(new CampaignOptions
        {
            Runs = runs,
            Seed = 1,
            RobotPath = Path.Combine(TestRobots.RepositoryRoot(), "configs", "robots", "metai-arm6.json"),
            Log = output.WriteLine,
        });
        output.WriteLine($"runs {r.Runs} violations {r.Violations} faults {r.FaultsInjected} notExercised {r.NotExercised} checked {r.ReactionsChecked} errors {r.Errors} {r.RunsPerMinute:F1} runs/min first {r.FirstFailingSeed}: {r.FirstFailure}");
        foreach (string e in r.ErrorSamples)
        {
            output.WriteLine(e);
        }

        foreach (var kv in r.FaultsByKind)
        {
            output.WriteLine($"{kv.Key}: {kv.Value}");
        }
    }
}

public class ScratchReplayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ScratchReplay()
    {
        int seed = int.Parse(Environment.GetEnvironmentVariable("HIL_SEED") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        string dir = Path.Combine(Path.GetTempPath(), "hil-replay", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var r = await Campaign.ReplayAsync(seed, Path.Combine(TestRobots.RepositoryRoot(), "configs", "robots", "metai-arm6.json"), dir);
        Reports.HilReport.Write([r], dir);
        foreach (var a in r.Assertions)
        {
            output.WriteLine($"{a.Id}: {(a.Passed ? "pass" : "FAIL")} {a.Detail}");
        }
    }
}
