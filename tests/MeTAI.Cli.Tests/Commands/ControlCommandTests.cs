using MeTAI.Simulation.Serial;

namespace MeTAI.Cli.Tests.Commands;

/// <summary>The README's controller commands, run in-process.</summary>
public class ControlCommandTests
{
    private static string Root()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir!;
    }

    [Fact]
    public void Control_AgainstPtyServoChain_RunsAndWritesAVerifiableAuditLog()
    {
        string dir = CliRunner.TempDir("control");
        string audit = Path.Combine(dir, "audit.jsonl");
        using var chain = new ServoChainTwin(new ServoChainOptions { Servos = [.. Enumerable.Range(1, 6).Select(i => new ServoTwinOptions { Id = (byte)i })] });
        chain.Start();
        (int code, string stdout, string stderr) = CliRunner.Run("control", "--robot", Path.Combine(Root(), "configs", "robots", "metai-arm6.json"),
            "--serial", chain.SlavePath, "--port", "0", "--audit", audit, "--seconds", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("metai-arm6 (6 joints)", stdout, StringComparison.Ordinal);
        Assert.True(chain.Instructions > 10, "the controller polled the servo chain over the pty");

        (int verifyCode, string verifyOut, _) = CliRunner.Run("audit", "verify", audit);
        Assert.Equal(0, verifyCode);
        Assert.Contains("chain intact, closed cleanly", verifyOut, StringComparison.Ordinal);
    }

    [Fact]
    public void AuditVerify_TamperedLog_ExitsOneAndNamesTheLine()
    {
        string dir = CliRunner.TempDir("audit");
        string audit = Path.Combine(dir, "audit.jsonl");
        using (var log = new MeTAI.Robotics.Audit.AuditLog(audit))
        {
            log.Write(new MeTAI.Robotics.Audit.AuditEvent("transition", 1, 1, [new("to", "Following")]));
        }

        string[] lines = File.ReadAllLines(audit);
        lines[1] = lines[1].Replace("Following", "Disabled", StringComparison.Ordinal);
        File.WriteAllLines(audit, lines);
        (int code, string stdout, _) = CliRunner.Run("audit", "verify", audit);
        Assert.Equal(1, code);
        Assert.Contains("TAMPERED at line 3", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchControl_OneSecond_PrintsEveryFigure()
    {
        var json = CliRunner.Json("bench", "control", "--seconds", "1", "--json", "--robot", Path.Combine(Root(), "configs", "robots", "metai-arm6.json"));
        Assert.True(json.GetProperty("rateHz").GetDouble() > 0);
        foreach (string p in new[] { "p50", "p99", "p999", "max" })
        {
            Assert.True(json.GetProperty("periodJitterUs").TryGetProperty(p, out _));
        }

        Assert.True(json.TryGetProperty("overruns", out _));
        Assert.True(json.TryGetProperty("gcPauseMs", out _));
        foreach (string p in new[] { "p50", "p99", "max" })
        {
            Assert.True(json.GetProperty("hapticToServoLatencyMs").TryGetProperty(p, out _));
        }

        // The controller runs as `control` does: a 1 GiB no-GC region while the arm is still.
        Assert.Equal(1L << 30, json.GetProperty("noGcRegionBytes").GetInt64());
    }

    [Theory]
    [InlineData("--no-gc-region-mb", "8", "--no-gc-region-mb must be 0 (off) or 16-4096")]
    [InlineData("--devices-nice", "5", "--devices-nice needs --split")]
    public void BenchControl_BadOption_ExitsWithTheReason(string option, string value, string reason)
    {
        (int code, _, string stderr) = CliRunner.Run("bench", "control", "--seconds", "1", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }
}
