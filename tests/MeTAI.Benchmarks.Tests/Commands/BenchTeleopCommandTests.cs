using MeTAI.TestUtilities;

namespace MeTAI.Benchmarks.Tests.Commands;

/// <summary><c>metai bench teleop</c>: the console protocol through the service's WebSocket relay to the servo goals.</summary>
public sealed class BenchTeleopCommandTests
{
    [Fact]
    public void BenchTeleop_ThreeSteps_PrintsTheLatencyPercentiles()
    {
        var json = BenchRunner.Json("bench", "teleop", "--samples", "3", "--json", "--robot", RepositoryPaths.Config("robots", "metai-arm6.json"));
        Assert.True(json.GetProperty("samples").GetInt32() > 0, "no step reached the servo goals");
        foreach (string p in new[] { "p50", "p99", "max" })
        {
            Assert.True(json.GetProperty("latencyMs").GetProperty(p).GetDouble() > 0);
        }

        Assert.True(json.GetProperty("posesSent").GetInt64() > 0);
        Assert.True(json.GetProperty("heartbeatsSent").GetInt64() > 0);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    public void BenchTeleop_BadSamples_ExitsWithTheReason(string samples)
    {
        (int code, _, string stderr) = BenchRunner.Run("bench", "teleop", "--samples", samples);
        Assert.NotEqual(0, code);
        Assert.Contains($"--samples {samples}: give 1 to 10000.", stderr, StringComparison.Ordinal);
    }
}
