using MeTAI.Cli.Commands.Hil;
using MeTAI.Hil.Runner;

namespace MeTAI.Cli.Tests.Commands.Hil;

/// <summary>The library API the demo calls: one bundled scenario with its fault, into a folder, with progress.</summary>
[Collection(HilTestGroup.Name)]
public class HilScenariosTests
{
    [Fact]
    public void BundledNames_ListsTheShippedScenarios()
    {
        IReadOnlyList<string> names = HilScenarios.BundledNames();
        Assert.Contains("nominal-teleop", names);
        Assert.Contains("radiotherapy-delivery", names);
        Assert.Contains("estop-device-silent", names);
        Assert.Equal(14, names.Count);
    }

    [Fact]
    public async Task RunBundledAsync_UnknownName_ListsTheBundledOnes()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => HilScenarios.RunBundledAsync("rt-delivery", CliRunner.TempDir("hil-api-bad")));
        Assert.Contains("'rt-delivery'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("radiotherapy-delivery", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunBundledAsync_RadiotherapyDelivery_LogsEveryBeamOnWithItsPose()
    {
        string dir = CliRunner.TempDir("hil-api-rt");
        var progress = new List<string>();
        ScenarioOutcome o = await HilScenarios.RunBundledAsync("radiotherapy-delivery", dir, line => { lock (progress) { progress.Add(line); } });
        Assert.Equal(0, o.Violations);
        Assert.True(o.Passed, string.Join("\n", progress));
        Assert.Equal("radiotherapy-delivery", o.Name);
        Assert.Equal(5, o.AssertionsTotal);
        Assert.Equal(5, o.AssertionsPassed);
        Assert.StartsWith("cough: patient spike 6.0 mm for 0.5 s", Assert.Single(o.FaultsInjected), StringComparison.Ordinal);
        Assert.Contains(progress, l => l.StartsWith("[1/1] PASS radiotherapy-delivery", StringComparison.Ordinal));
        Assert.True(File.Exists(o.ReportPath) && File.Exists(o.JUnitPath));
        Assert.Contains("Plan delivered: RTPLAN `prostate-robot.dcm`", File.ReadAllText(o.ReportPath), StringComparison.Ordinal);

        // Five beams, the first interrupted by the cough and resumed: every interval at its beam's planned pose, in Ready.
        Assert.Equal([1, 2, 3, 4, 5], o.BeamOn.Select(b => b.Beam).Distinct());
        Assert.True(o.BeamOn.Count >= 6, $"{o.BeamOn.Count} beam-on intervals");
        Assert.Contains(o.BeamOn, b => b.Beam == 1 && b.EndReason != "complete");
        Assert.All(o.BeamOn, b =>
        {
            Assert.True(b.PoseErrorMm < 1, $"beam {b.Beam}: {b.PoseErrorMm} mm from the planned pose");
            Assert.Equal("Ready", b.StateAtStart);
        });
        Assert.Equal(1408, o.BeamOn.Sum(b => b.Mu), 0);
        Assert.True(File.Exists(Path.Combine(o.ScenarioDirectory, "beam-on.json")));
    }

    [Fact]
    public async Task RunBundledAsync_NominalTeleop_OutcomeWithItsFaultAndPaths()
    {
        // Real timing on a shared machine: retried (at most twice) only when no safety assertion broke.
        ScenarioOutcome o = null!;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            o = await HilScenarios.RunBundledAsync("nominal-teleop", CliRunner.TempDir("hil-api-teleop"));
            Assert.Equal(0, o.Violations);
            if (o.Passed)
            {
                break;
            }
        }

        Assert.True(o.Passed, $"{o.AssertionsFailed} assertion(s) failed, error {o.Error}");
        Assert.Equal(10, o.AssertionsTotal);
        Assert.Equal(0, o.AssertionsFailed);
        Assert.StartsWith("crc-burst: serial: corrupt 12 replies", Assert.Single(o.FaultsInjected), StringComparison.Ordinal);
        Assert.Empty(o.BeamOn);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(o.ReportPath)!, "junit.xml"), o.JUnitPath);
        Assert.Equal(3, o.Plots.Count);
        Assert.All(o.Plots, p => Assert.True(File.Exists(p), p));
    }
}
