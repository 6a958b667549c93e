using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Tests.Beams;

/// <summary><see cref="BeamModel"/>'s nominal energy: what an RT Plan's Nominal Beam Energy is checked against.</summary>
public class BeamModelTests
{
    [Fact]
    public void Load_Mohan6Mv_IsCommissionedFor6MvOnly()
    {
        BeamModel m = BeamModel.Load(DosimetryPaths.BeamFile("6MV-mohan"));
        Assert.Equal(6, m.NominalEnergyMV);
        Assert.True(m.IsCommissionedFor(6.0));
        Assert.False(m.IsCommissionedFor(10));
        Assert.False(m.IsCommissionedFor(6.5));
        Assert.Contains(BeamModel.LoadAll(Path.GetDirectoryName(m.Path)!), b => b.Name == "6MV-mohan");
    }

    [Theory]
    [InlineData(null, "missing or not a number")]
    [InlineData("\"6\"", "missing or not a number")]
    [InlineData("0.5", "is not a photon beam energy")]
    [InlineData("10", "10 MV does not match the spectrum, which ends at 6 MeV")]
    public void Load_BadNominalEnergy_NamesTheFileAndField(string? value, string problem)
    {
        string text = File.ReadAllText(DosimetryPaths.BeamFile("6MV-mohan")).Replace("\"nominalEnergyMV\": 6,", value is null ? string.Empty : $"\"nominalEnergyMV\": {value},", StringComparison.Ordinal);
        string dir = Path.Combine(Path.GetTempPath(), "metai-tests", "beam-model-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "bad.json");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<MaterialDataException>(() => BeamModel.Load(path));
        Assert.Equal("nominalEnergyMV", ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }
}
