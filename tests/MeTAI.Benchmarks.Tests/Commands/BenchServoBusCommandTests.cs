using MeTAI.TestUtilities;

namespace MeTAI.Benchmarks.Tests.Commands;

/// <summary><c>metai bench servo-bus</c>: Sync Write + Sync Read cycles through the production bus against the pty twin.</summary>
public sealed class BenchServoBusCommandTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BenchServoBus_OneSecond_CutsEachRoundTripIntoItsHops(bool ownDescriptor)
    {
        var args = new List<string> { "bench", "servo-bus", "--seconds", "1", "--json", "--baud", "1000000", "--robot", RepositoryPaths.Config("robots", "metai-arm6.json") };
        if (ownDescriptor)
        {
            args.Add("--own-descriptor");
        }

        var json = BenchRunner.Json([.. args]);
        Assert.True(json.GetProperty("cycles").GetInt64() > 0, "the bus ran cycles");
        Assert.Equal(6, json.GetProperty("servos").GetInt32());
        Assert.Equal(1_000_000, json.GetProperty("baudRate").GetInt32());
        Assert.Equal(ownDescriptor, json.GetProperty("ownDescriptor").GetBoolean());
        foreach (string figure in new[] { "cycleUs", "completeReadingGapUs", "writeCallUs", "toTwinUs", "inTwinUs", "backUs" })
        {
            foreach (string p in new[] { "p50", "p99", "p999", "max" })
            {
                Assert.True(json.GetProperty(figure).TryGetProperty(p, out _), figure + "." + p);
            }
        }

        Assert.True(json.TryGetProperty("gapsOver40Ms", out _));
        Assert.True(json.TryGetProperty("writeTimeouts", out _));
    }

    [Theory]
    [InlineData("--baud", "1200", "--baud 1200: must be 9600-10500000")]
    [InlineData("--return-delay-us", "100", "needs --baud")]
    public void BenchServoBus_BadOption_ExitsWithTheReason(string option, string value, string reason)
    {
        (int code, _, string stderr) = BenchRunner.Run("bench", "servo-bus", "--seconds", "1", option, value);
        Assert.NotEqual(0, code);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }
}
