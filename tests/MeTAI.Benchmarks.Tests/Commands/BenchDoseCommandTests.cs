using System.Text.Json;

namespace MeTAI.Benchmarks.Tests.Commands;

public class BenchDoseCommandTests
{
    [Fact]
    public void BenchDose_ShortRun_ReportsSpeedAndEfficiency()
    {
        JsonElement json = BenchRunner.Json("bench", "dose", "--device", "cpu", "--seconds", "1", "--json");
        Assert.True(json.GetProperty("historiesPerSecond").GetDouble() > 0);
        Assert.True(json.GetProperty("efficiency").GetDouble() > 0);
    }
}
