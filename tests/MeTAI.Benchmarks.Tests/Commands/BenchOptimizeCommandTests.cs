using System.Text.Json;

namespace MeTAI.Benchmarks.Tests.Commands;

public class BenchOptimizeCommandTests
{
    [Fact]
    public void BenchOptimize_SmallProblem_ReportsIterationsAndSeconds()
    {
        JsonElement r = BenchRunner.Json("bench", "optimize", "--size", "40", "--repeats", "1", "--json");
        Assert.Equal(64000, r.GetProperty("voxels").GetInt32());
        Assert.True(r.GetProperty("beamlets").GetInt32() > 1000);
        Assert.True(r.GetProperty("nonZeros").GetInt64() > 100_000);
        Assert.True(r.GetProperty("iterations").GetInt32() > 5);
        Assert.True(r.GetProperty("seconds").GetDouble() > 0);
    }
}
