using MeTAI.Core.Phantoms;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Tests.Plans;

public class ProtocolLoaderTests
{
    [Theory]
    [InlineData("tg119-cshape")]
    [InlineData("prostate")]
    [InlineData("multitarget")]
    public void ShippedProtocols_LoadAndMatchTheirPhantom(string name)
    {
        Protocol p = ProtocolLoader.Load(TestData.Protocol(name));
        Assert.Equal(name, p.Name);
        Assert.NotEmpty(p.Objectives);
        Assert.NotEmpty(p.Goals);
        PlanCase c = PlanCase.FromPhantom(PhantomLibrary.Build(name, 10));
        ProtocolLoader.CheckStructures(p, c);
    }

    [Fact]
    public void CheckStructures_UnknownStructure_ListsTheCaseStructures()
    {
        Protocol p = ProtocolLoader.Parse("""
            { "prescription": { "target": "PTV", "doseGy": 60, "fractions": 30 },
              "objectives": [ { "structure": "SpinalCord", "type": "maxDose", "doseGy": 45, "weight": 1 } ] }
            """, "test.json");
        PlanCase c = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 10));
        var ex = Assert.Throws<KeyNotFoundException>(() => ProtocolLoader.CheckStructures(p, c));
        Assert.Contains("'SpinalCord'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Rectum", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Bladder", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "objectives": [] }""", "prescription is missing")]
    [InlineData("""{ "prescription": { "target": "PTV", "doseGy": 60, "fractions": 30 }, "objectives": [ { "structure": "PTV", "type": "fancy", "doseGy": 1, "weight": 1 } ] }""", "objectives[0].type")]
    [InlineData("""{ "prescription": { "target": "PTV", "doseGy": 60, "fractions": 30 }, "objectives": [ { "structure": "PTV", "type": "maxDvh", "doseGy": 1, "weight": 1 } ] }""", "volumePercent")]
    [InlineData("""{ "prescription": { "target": "PTV", "doseGy": -1, "fractions": 30 }, "objectives": [ { "structure": "PTV", "type": "maxDose", "doseGy": 1, "weight": 1 } ] }""", "prescription")]
    [InlineData("""{ "prescription": { "target": "PTV", "doseGy": 60, "fractions": 30 }, "objectives": [ { "structure": "PTV", "type": "maxDose", "doseGy": 1, "weight": 1 } ], "goals": [ { "structure": "PTV", "metric": "Q7", "comparison": ">=", "value": 1 } ] }""", "Unknown metric")]
    public void Parse_BadProtocol_NamesTheField(string json, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => ProtocolLoader.Parse(json, "bad.json"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ListsTheProtocolsBesideIt()
    {
        string path = Path.Combine(Path.GetDirectoryName(TestData.Protocol("prostate"))!, "nope.json");
        var ex = Assert.Throws<FileNotFoundException>(() => ProtocolLoader.Load(path));
        Assert.Contains("prostate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tg119-cshape", ex.Message, StringComparison.Ordinal);
    }
}
