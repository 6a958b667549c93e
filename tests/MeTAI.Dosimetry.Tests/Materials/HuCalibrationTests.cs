using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Tests.Materials;

public class HuCalibrationTests
{
    private static readonly HuCalibration Default = HuCalibration.Load(DosimetryPaths.HuCalibrationFile());

    [Theory]
    [InlineData(-1000, "air", 0.00121)]
    [InlineData(-740, "lung", 0.26091)]
    [InlineData(-100, "adipose", 0.9001)]
    [InlineData(0, "water", 1.0)]
    [InlineData(30, "soft-tissue", 1.0255)]
    [InlineData(60, "muscle", 1.051)]
    [InlineData(1000, "cortical-bone", 1.85)]
    [InlineData(2000, "cortical-bone", 2.70)]
    [InlineData(3000, "titanium", 4.5)]
    [InlineData(-1024, "air", 0.00121)]
    public void Map_DefaultCalibration_MaterialAndDensity(int hu, string material, double density)
    {
        (int m, double rho) = Default.Map(hu);
        Assert.Equal(material, Default.MaterialNames[m]);
        Assert.InRange(rho, density - 1e-3, density + 1e-3);
    }

    [Fact]
    public void Load_MaterialsWithoutBounds_ErrorNamesField()
    {
        string path = Path.Combine(Path.GetTempPath(), "metai-hu-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{ "density": { "hu": [-1000, 0], "gPerCm3": [0.001, 1] }, "materials": [ { "name": "air" }, { "name": "water" } ] }""");
        try
        {
            MaterialDataException ex = Assert.Throws<MaterialDataException>(() => HuCalibration.Load(path));
            Assert.Equal("materials[0].huBelow", ex.Field);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
