using System.Text.Json;

namespace MeTAI.Benchmarks.Tests.Commands;

public class BenchDoseCommandTests
{
    [Fact]
    public void BenchDose_ShortRun_ReportsBothModelsAndTheirCostRatio()
    {
        JsonElement json = BenchRunner.Json("bench", "dose", "--device", "cpu", "--seconds", "1", "--json");
        foreach (string model in new[] { "point", "full" })
        {
            JsonElement r = json.GetProperty(model);
            Assert.True(r.GetProperty("historiesPerSecond").GetDouble() > 0, model);
            Assert.True(r.GetProperty("efficiency").GetDouble() > 0, model);
        }

        Assert.True(json.GetProperty("costRatio").GetDouble() > 0);
    }

    [Fact]
    public void BenchDose_PointOnly_ReportsThePointModel()
    {
        JsonElement json = BenchRunner.Json("bench", "dose", "--device", "cpu", "--seconds", "1", "--json", "--point-only");
        Assert.True(json.GetProperty("historiesPerSecond").GetDouble() > 0);
        Assert.True(json.GetProperty("efficiency").GetDouble() > 0);
    }
}
