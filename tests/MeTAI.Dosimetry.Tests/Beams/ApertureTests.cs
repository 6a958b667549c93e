using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Dosimetry.Tests.Beams;

public class ApertureTests
{
    [Fact]
    public void Mlc_LeafPairs_ClippedByJaws()
    {
        // Three 10 mm leaf pairs from y = −15 to +15 mm; the Y jaws close the outer pairs to 5 mm.
        Aperture a = Aperture.Mlc([-15, -5, 5, 15], [-20, -10, -30], [20, 10, 0], x1Mm: -25, x2Mm: 25, y1Mm: -10, y2Mm: 10);
        Assert.Equal(3, a.Rectangles.Count);
        Assert.Equal(new ApertureRect(-20, 20, -10, -5), a.Rectangles[0]);
        Assert.Equal(new ApertureRect(-10, 10, -5, 5), a.Rectangles[1]);
        Assert.Equal(new ApertureRect(-25, 0, 5, 10), a.Rectangles[2]);
    }

    [Fact]
    public void FluenceMap_ZeroWeightsDropped_WeightsKept()
    {
        Aperture a = Aperture.FluenceMap(-5, -5, 5, 5, 2, 2, [1.0, 0.0, 0.5, 2.0]);
        Assert.Equal(3, a.Rectangles.Count);
        Assert.Equal(new ApertureRect(-5, 0, -5, 0, 1.0), a.Rectangles[0]);
        Assert.Equal(new ApertureRect(-5, 0, 0, 5, 0.5), a.Rectangles[1]);
        Assert.Equal(new ApertureRect(0, 5, 0, 5, 2.0), a.Rectangles[2]);
        Assert.Throws<ArgumentException>(() => Aperture.FluenceMap(0, 0, 5, 5, 2, 2, [0.0, 0.0, 0.0, 0.0]));
    }

    [Fact]
    public void EffectiveArea_PointSourceAndParallel()
    {
        var geometry = new BeamGeometry(0, 0, 0, Vec3.Zero, 1000);
        var beam = new BeamSetup { Spectrum = EnergySpectrum.Monoenergetic(1), Aperture = Aperture.Field(100, 100), Geometry = geometry, FluencePerMuPerCm2 = 1e9 };
        // ∫cos³θ dA over 10 × 10 cm² at 100 cm: slightly under 100 cm².
        Assert.InRange(beam.EffectiveAreaCm2(), 99.6, 99.9);
        Assert.Equal(100.0, (beam with { Parallel = true }).EffectiveAreaCm2(), 9);
        Assert.Equal(1e9 * beam.EffectiveAreaCm2(), beam.HistoriesPerMu!.Value, 1);
        Assert.Null((beam with { FluencePerMuPerCm2 = null }).HistoriesPerMu);
    }

    [Theory]
    [InlineData("auto", DeviceKind.Auto)]
    [InlineData("CPU", DeviceKind.Cpu)]
    [InlineData("cuda", DeviceKind.Cuda)]
    [InlineData(null, DeviceKind.Auto)]
    public void DeviceKindParser_KnownNames(string? text, DeviceKind expected) => Assert.Equal(expected, DeviceKindParser.Parse(text));

    [Fact]
    public void DeviceKindParser_Unknown_Throws() => Assert.Throws<ArgumentException>(() => DeviceKindParser.Parse("tpu"));
}
