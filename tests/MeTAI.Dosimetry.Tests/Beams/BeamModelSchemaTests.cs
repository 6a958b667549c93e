using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;

namespace MeTAI.Dosimetry.Tests.Beams;

/// <summary>The beam JSON schema of docs/beam-model.md: the shipped models load, and every bad value is refused naming the file and field.</summary>
public class BeamModelSchemaTests
{
    private static string Write(string text)
    {
        string dir = Path.Combine(Path.GetTempPath(), "metai-tests", "beam-schema-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "6MV-bad.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_Default6MV_IsTheFullModelWithTheMillenniumLayout()
    {
        BeamModel m = BeamModel.Load(DosimetryPaths.BeamFile("6MV"));
        Assert.False(m.VirtualSource.IsPoint);
        Assert.Equal(1.5, m.VirtualSource.Primary.SpotFwhmXMm);
        Assert.Equal(0.08, m.VirtualSource.ExtraFocal.Weight);
        Assert.Equal(0.004, m.VirtualSource.Electrons.Weight);
        MlcGeometry mlc = m.Collimator!.Mlc!;
        Assert.Equal(60, mlc.Pairs);
        Assert.Equal(-200, mlc.LeafBoundariesMm[0]);
        Assert.Equal(-100, mlc.LeafBoundariesMm[10]);
        Assert.Equal(100, mlc.LeafBoundariesMm[50]);
        Assert.Equal(5, mlc.LeafBoundariesMm[31] - mlc.LeafBoundariesMm[30]);
        Assert.Contains("NOT YET COMMISSIONED", m.Description, StringComparison.Ordinal);
        Assert.InRange(mlc.GeometricDlgMm(), 1.6, 1.8);
    }

    [Fact]
    public void Load_PointModel_HasNoVirtualSourcesAndIdealCollimation()
    {
        BeamModel m = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        Assert.True(m.VirtualSource.IsPoint);
        Assert.Null(m.Collimator);
        Assert.Equal(ReferenceCondition.Default, m.Reference);
    }

    [Fact]
    public void UniformLayout_IsThePlannersEarlier80By5Mm()
    {
        double[] b = MlcGeometry.UniformBoundaries(5, 80);
        Assert.Equal(81, b.Length);
        Assert.Equal(-200, b[0]);
        Assert.Equal(200, b[^1]);
    }

    [Theory]
    [InlineData("\"spotFwhmXMm\": 1.5", "\"spotFwhmXMm\": 9", "virtualSource.primary.spotFwhmXMm", "outside the allowed range 0–5 mm")]
    [InlineData("\"spotFwhmYMm\": 1.5,", "", "virtualSource.primary.spotFwhmYMm", "missing or not a number")]
    [InlineData("\"weight\": 0.08", "\"weight\": 0.5", "virtualSource.extraFocal.weight", "outside the allowed range")]
    [InlineData("\"energyScale\": 0.7", "\"energyScale\": \"soft\"", "virtualSource.extraFocal.energyScale", "missing or not a number")]
    [InlineData("\"distanceFromTargetMm\": 130", "\"distanceFromTargetMm\": 400", "virtualSource.extraFocal.distanceFromTargetMm", "above the topmost collimator")]
    [InlineData("\"meanEnergyMeV\": 1.5", "\"meanEnergyMeV\": 7", "virtualSource.electronContamination.meanEnergyMeV", "outside the allowed range")]
    [InlineData("\"maxEnergyMeV\": 6.0", "\"maxEnergyMeV\": 1.0", "virtualSource.electronContamination.maxEnergyMeV", "outside the allowed range")]
    [InlineData("[1.0, 1.015, 1.03, 1.045, 1.05, 1.04]", "[1.0, 1.015, 1.03]", "virtualSource.primary.offAxisRelativeFluence", "has 3 values but offAxisRadiiMm has 6")]
    [InlineData("[0, 50, 100, 150, 200, 250]", "[0, 50, 40, 150, 200, 250]", "virtualSource.primary.offAxisRadiiMm[2]", "radii must increase")]
    [InlineData("\"transmission\": 0.015", "\"transmission\": 0.5", "collimator.mlc.transmission", "outside the allowed range")]
    [InlineData("\"interleafTransmission\": 0.025", "\"interleafTransmission\": 0.01", "collimator.mlc.interleafTransmission", "from the leaf transmission")]
    [InlineData("\"layout\": \"millennium120\"", "\"layout\": \"agility160\"", "collimator.mlc.layout", "'agility160' is not a known layout")]
    [InlineData("\"layout\": \"millennium120\"", "\"layout\": \"millennium120\", \"leafBoundariesMm\": [0, 5]", "collimator.mlc.layout", "not both or neither")]
    [InlineData("\"layout\": \"millennium120\"", "\"leafBoundariesMm\": [0, 5, 5]", "collimator.mlc.leafBoundariesMm[2]", "boundaries must increase")]
    [InlineData("\"yPlaneDistanceMm\": 318", "\"yPlaneDistanceMm\": 950", "collimator.jaws.yPlaneDistanceMm", "outside the allowed range")]
    [InlineData("\"leafEndRadiusMm\": 120", "\"leafEndRadiusMm\": -1", "collimator.mlc.leafEndRadiusMm", "outside the allowed range")]
    [InlineData("\"virtualSource\": {", "\"virtualSource\": 3, \"x\": {", "virtualSource", "not an object")]
    public void Load_BadValue_NamesTheFileAndField(string find, string replace, string field, string problem)
    {
        string text = File.ReadAllText(DosimetryPaths.BeamFile("6MV"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        string path = Write(text.Replace(find, replace, StringComparison.Ordinal));
        var ex = Assert.Throws<MaterialDataException>(() => BeamModel.Load(path));
        Assert.Equal(field, ex.Field);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(path + ": field '" + field + "'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadReferenceCondition_NamesTheField()
    {
        string text = File.ReadAllText(DosimetryPaths.BeamFile("6MV-point")).Replace("\"calibration\": {", "\"calibration\": {\n    \"reference\": { \"setup\": \"SID\" },", StringComparison.Ordinal);
        var ex = Assert.Throws<MaterialDataException>(() => BeamModel.Load(Write(text)));
        Assert.Equal("calibration.reference.setup", ex.Field);
    }

    [Fact]
    public void CollimatorSettings_WrongLeafCount_IsRefused()
    {
        BeamModel m = BeamModel.Load(DosimetryPaths.BeamFile("6MV"));
        var s = new CollimatorSettings { X1Mm = -50, X2Mm = 50, Y1Mm = -50, Y2Mm = 50, BankAMm = new double[40], BankBMm = new double[40] };
        var ex = Assert.Throws<ArgumentException>(() => m.CreateBeam(s, new BeamGeometry(0, 0, 0, MeTAI.Core.Geometry.Vec3.Zero), 1));
        Assert.Contains("60 leaf pairs", ex.Message, StringComparison.Ordinal);
    }
}
