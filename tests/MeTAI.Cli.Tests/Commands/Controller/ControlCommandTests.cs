using MeTAI.Simulation.Serial;

namespace MeTAI.Cli.Tests.Commands.Controller;

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
}
