using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Tests.Materials;

public class MaterialLibraryTests
{
    private static MaterialData Load(string name) => MaterialLibrary.LoadFile(Path.Combine(DosimetryPaths.MaterialsDirectory(), name + ".json"));

    [Fact]
    public void Load_AllDefaultMaterials_ValidWithSources()
    {
        IReadOnlyList<MaterialData> all = MaterialLibrary.Load(DosimetryPaths.MaterialsDirectory(), MaterialLibrary.DefaultMaterialNames);
        Assert.Equal(8, all.Count);
        foreach (MaterialData m in all)
        {
            Assert.Contains("XCOM", m.PhotonSource, StringComparison.Ordinal);
            Assert.Contains("ESTAR", m.ElectronSource, StringComparison.Ordinal);
            Assert.True(m.PhotonEnergyMeV[0] <= 0.01 && m.PhotonEnergyMeV[^1] >= 20);
        }
    }

    // REFERENCE.md: NIST XCOM μ/ρ with coherent scattering (cm²/g).
    [Theory]
    [InlineData("water", 0.1, 0.1707)]
    [InlineData("water", 0.5, 0.09687)]
    [InlineData("water", 1, 0.07072)]
    [InlineData("water", 2, 0.04942)]
    [InlineData("water", 6, 0.02770)]
    [InlineData("lung", 0.1, 0.1695)]
    [InlineData("lung", 1, 0.07013)]
    [InlineData("lung", 2, 0.04900)]
    [InlineData("lung", 6, 0.02746)]
    [InlineData("cortical-bone", 0.1, 0.1855)]
    [InlineData("cortical-bone", 0.5, 0.09022)]
    [InlineData("cortical-bone", 1, 0.06566)]
    [InlineData("cortical-bone", 2, 0.04607)]
    [InlineData("cortical-bone", 6, 0.02734)]
    public void TotalAttenuation_NistCheckValues_Within0p1Percent(string material, double energyMeV, double nist)
    {
        double mu = Load(material).TotalAttenuationCm2PerG(energyMeV);
        Assert.InRange(mu / nist - 1, -0.001, 0.001);
    }

    // REFERENCE.md: ESTAR liquid water.
    [Theory]
    [InlineData(1, 1.862, 0.4367)]
    [InlineData(2, 1.850, 0.9785)]
    [InlineData(5, 1.971, 2.550)]
    public void WaterStoppingPowerAndRange_EstarCheckValues_Match(double energyMeV, double total, double range)
    {
        MaterialData w = Load("water");
        double s = MaterialData.Interpolate(w.ElectronEnergyMeV, w.CollisionMeVCm2PerG, energyMeV) + MaterialData.Interpolate(w.ElectronEnergyMeV, w.RadiativeMeVCm2PerG, energyMeV);
        Assert.Equal(total, s, 0.002);
        Assert.Equal(range, MaterialData.Interpolate(w.ElectronEnergyMeV, w.CsdaRangeGPerCm2, energyMeV), 0.0005);
    }

    [Fact]
    public void LoadFile_MissingField_ErrorNamesFileAndField()
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-mat-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string text = File.ReadAllText(Path.Combine(DosimetryPaths.MaterialsDirectory(), "water.json")).Replace("\"incoherentCm2PerG\"", "\"incoherentXX\"", StringComparison.Ordinal);
            string path = Path.Combine(dir, "broken.json");
            File.WriteAllText(path, text);
            MaterialDataException ex = Assert.Throws<MaterialDataException>(() => MaterialLibrary.LoadFile(path));
            Assert.Equal("photon.incoherentCm2PerG", ex.Field);
            Assert.Contains("broken.json", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
