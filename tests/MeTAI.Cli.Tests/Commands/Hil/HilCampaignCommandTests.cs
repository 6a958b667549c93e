using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace MeTAI.Cli.Tests.Commands.Hil;

[Collection(HilTestGroup.Name)]
public class HilCampaignCommandTests(ITestOutputHelper output)
{
    [Fact]
    public void HilCampaign_200Runs_NoViolations()
    {
        // The CI campaign of issue 7: 200 randomized fault mixes against the real controller, not one safety assertion
        // broken. Its wall time goes to the test output for docs/benchmarks.md; nothing is asserted about it.
        var sw = Stopwatch.StartNew();
        (int code, string stdout, string stderr) = CliRunner.Run("hil", "campaign", "--runs", "200", "--seed", "1", "--json");
        output.WriteLine($"wall {sw.Elapsed.TotalSeconds:F1} s; {stdout}");
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement r = doc.RootElement;
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        Assert.Equal(200, r.GetProperty("runs").GetInt32());
        Assert.Equal(0, r.GetProperty("violations").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("firstFailingSeed").ValueKind);
        Assert.True(r.GetProperty("faultsInjected").GetInt32() >= 200, "every run injects at least one fault");
        Assert.True(r.GetProperty("reactionsChecked").GetInt32() > 0, "some reactions were put to the test");
        Assert.True(r.GetProperty("faultsByKind").EnumerateObject().Count() >= 10, "the mix covers most fault kinds");
        Assert.True(r.GetProperty("runsPerMinute").GetDouble() > 0);
        Assert.True(r.GetProperty("seconds").GetDouble() > 0);
        Assert.True(r.GetProperty("errors").GetInt32() <= 2, "runs that could not complete: " + r.GetProperty("errorSamples"));

        // Issue 19: the evidence is for what ships — the campaign ran at the controller's defaults and says so.
        JsonElement settings = r.GetProperty("settings");
        var shipped = new MeTAI.Robotics.Control.ControllerOptions();
        Assert.Equal(shipped.HeartbeatWatchdogMs, settings.GetProperty("heartbeatWatchdogMs").GetDouble());
        Assert.Equal(shipped.ServoTimeoutMs, settings.GetProperty("servoTimeoutMs").GetDouble());
        Assert.Equal(shipped.PoseWatchdogMs, settings.GetProperty("poseWatchdogMs").GetDouble());
        Assert.Equal(shipped.EStopWatchdogMs, settings.GetProperty("eStopWatchdogMs").GetDouble());
        Assert.Equal(new MeTAI.Robotics.ServoBus.ServoIoOptions().RelayOffMs, settings.GetProperty("relayOffMs").GetDouble());
        Assert.True(settings.GetProperty("shippedDefaults").GetBoolean());
    }

    [Fact]
    public void HilCampaign_WithoutJson_PrintsAReadableSummary()
    {
        (int code, string stdout, string stderr) = CliRunner.Run("hil", "campaign", "--runs", "3", "--seed", "7", "--workers", "1");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("campaign seed 7: 3 runs in ", stdout, StringComparison.Ordinal);
        Assert.Contains("faults by kind: ", stdout, StringComparison.Ordinal);
        Assert.Contains("violations: 0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void HilCampaign_Replay_WritesTheRunsReport()
    {
        string dir = CliRunner.TempDir("hil-replay");
        (int code, string stdout, string stderr) = CliRunner.Run("hil", "campaign", "--replay", "1000020", "--report", dir);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("replay campaign-1000020: passed", stdout, StringComparison.Ordinal);
        Assert.Contains("| [campaign-1000020](#campaign-1000020) | PASS |", File.ReadAllText(Path.Combine(dir, "report.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "junit.xml")));
    }

    [Theory]
    [InlineData("--runs", "0", "--runs 0")]
    [InlineData("--workers", "17", "--workers 17")]
    public void HilCampaign_OutOfRange_IsAClearError(string option, string value, string message)
    {
        (int code, _, string stderr) = CliRunner.Run("hil", "campaign", option, value);
        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
