using MeTAI.Robotics.Transport;
using MeTAI.Simulation.Serial;

namespace MeTAI.Cli.Tests.Commands.Controller;

/// <summary>The README's console and bridge commands: <c>control --teleop-key</c> and <c>bridge udp</c>, in-process.</summary>
public class TeleopCliTests
{
    [Fact]
    public void Control_WithTeleopKey_CreatesTheSharedKeyFile()
    {
        string dir = CliRunner.TempDir("control-teleop");
        string key = Path.Combine(dir, "teleop.key");
        using var chain = new ServoChainTwin(new ServoChainOptions { Servos = [.. Enumerable.Range(1, 6).Select(i => new ServoTwinOptions { Id = (byte)i })] });
        chain.Start();
        (int code, string stdout, string stderr) = CliRunner.Run("control", "--robot", MeTAI.TestUtilities.RepositoryPaths.Config("robots", "metai-arm6.json"),
            "--serial", chain.SlavePath, "--port", "0", "--teleop-key", key, "--master", "console1", "--audit", Path.Combine(dir, "audit.jsonl"), "--seconds", "1");
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("no master can connect", stdout, StringComparison.Ordinal);
        Assert.Equal(MasterTokenKey.KeyBytes, MasterTokenKey.Load(key).Length);
    }

    [Fact]
    public void Control_TeleopKeyWithAnExternalBroker_ExitsOneWithTheReason()
    {
        (int code, _, string stderr) = CliRunner.Run("control", "--robot", MeTAI.TestUtilities.RepositoryPaths.Config("robots", "metai-arm6.json"),
            "--serial", "/dev/null", "--broker", "mqtt://127.0.0.1:1", "--teleop-key", "teleop.key", "--seconds", "1");
        Assert.Equal(1, code);
        Assert.Contains("--teleop-key works with the embedded broker only", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("127.0.0.1:0")]
    public void BridgeUdp_BadListen_ExitsOneWithTheReason(string listen)
    {
        (int code, _, string stderr) = CliRunner.Run("bridge", "udp", "--listen", listen, "--broker", "mqtt://127.0.0.1:1");
        Assert.Equal(1, code);
        Assert.Contains($"--listen '{listen}' is not ADDRESS:PORT", stderr, StringComparison.Ordinal);
    }
}
