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
    [InlineData(1_000_000, 1780.0)]
    [InlineData(4_000_000, 445.0)]
    public void BenchServoBus_PositionAndVelocityWithReturnDelay_CountsCollisionsAndGivesTheWireBound(int baud, double bytesUs)
    {
        var json = BenchRunner.Json("bench", "servo-bus", "--seconds", "1", "--json", "--baud", baud.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--return-delay-us", "500", "--read-velocity", "--own-descriptor", "--robot", RepositoryPaths.Config("robots", "metai-arm6.json"));
        Assert.True(json.GetProperty("cycles").GetInt64() > 0, "the bus ran cycles");
        Assert.Equal(8, json.GetProperty("readBytesPerServo").GetInt32());

        // Protocol 2.0 framing by hand: Sync Write 10 + 4 + 6 × (1 + 4) = 44, Sync Read 10 + 4 + 6 = 20, six status
        // packets of 11 + 8 = 19: 178 bytes of 10 bits, plus six Return Delay Times of 500 µs.
        Assert.Equal(178, json.GetProperty("wireBytesPerCycle").GetInt32());
        Assert.Equal(bytesUs + 3000, json.GetProperty("wireBoundUs").GetDouble(), 6);

        // The bus owner never writes while a reply it waits for is due: a collision on the half-duplex wire can only
        // follow a reply timeout (the twin's thread, descheduled on a loaded machine, answered late and the owner had
        // given up). On a quiet machine both are 0 (docs/benchmarks.md).
        long collisions = json.GetProperty("collisions").GetInt64();
        Assert.True(collisions <= json.GetProperty("timeouts").GetInt64(), $"{collisions} collisions without as many reply timeouts");
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
