using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Tests.Avatar;

public class AvatarConfigLoaderTests
{
    [Fact]
    public void Load_LiverNeedle_HasSourcedTissuesForEveryStructure()
    {
        AvatarConfig config = AvatarConfigLoader.Load(Repo.LiverConfigPath);
        Assert.Equal("liver-needle", config.Name);
        Assert.Equal(["External", "Liver", "Tumor", "Vessel", "Ribs"], config.Structures.Select(s => s.Roi));
        Assert.Equal(["body-wall", "liver", "tumour", "vessel", "bone"], config.Tissues.Select(t => t.Name));
        foreach (TissueParameters t in config.Tissues)
        {
            foreach (string field in AvatarConfigLoader.TissueFields)
            {
                Assert.False(string.IsNullOrWhiteSpace(t.Sources[field]), $"{t.Name}.{field} has no source");
            }
        }

        Assert.True(config.Tissues[config.TissueIndex("bone")].Fixed);
        Assert.Equal(3.0, config.Tissues[config.TissueIndex("body-wall")].PunctureForceN);
    }

    [Fact]
    public void TissueParameters_LameConstants_FromYoungAndPoisson()
    {
        TissueParameters t = TestBodies.Tissue(youngsKPa: 5, poisson: 0.45);
        Assert.Equal(5000 / 2.9, t.ShearModulusPa, 9);
        Assert.Equal(5000 * 0.45 / (1.45 * 0.1), t.LameLambdaPa, 6);
    }

    [Theory]
    [InlineData("\"poissonRatio\": 0.45", "\"poissonRatio\": 0.5", "tissues['body-wall'].poissonRatio must be in [0, 0.5)")]
    [InlineData("\"densityKgM3\": 1060,", "", "missing field 'tissues[1].densityKgM3'")]
    [InlineData("\"youngsModulusKPa\": \"healthy", "\"youngsModulusKPaX\": \"healthy", "missing field 'tissues[1].sources.youngsModulusKPa'")]
    [InlineData("{ \"roi\": \"Liver\", \"tissue\": \"liver\" }", "{ \"roi\": \"Liver\", \"tissue\": \"spleen\" }", "structures[1].tissue 'spleen' is not one of the tissues")]
    [InlineData("\"cellMm\": 16", "\"cellMm\": \"big\"", "cellMm must be a number")]
    public void Parse_InvalidConfig_NamesFileAndField(string find, string replace, string expected)
    {
        string json = File.ReadAllText(Repo.LiverConfigPath);
        int at = json.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"test setup: '{find}' not in the config");
        json = json[..at] + replace + json[(at + find.Length)..];
        var ex = Assert.Throws<FormatException>(() => AvatarConfigLoader.Parse(json, "bad.json"));
        Assert.StartsWith("bad.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }
}
