using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Commissioning;
using MeTAI.Planner.Commissioning;

namespace MeTAI.Planner.Tests.Commissioning;

/// <summary>
/// The MLC stage (<see cref="MlcFit"/>): values computed from a leaf geometry with known transmission and leaf-end
/// radius are solved back to that geometry; a DLG the radius bounds cannot reach is fitted at the bound and says so.
/// </summary>
public class MlcFitTests
{
    private static MlcGeometry Millennium() => new() { LeafBoundariesMm = MlcGeometry.Millennium120Boundaries() };

    [Theory]
    [InlineData(0.012, 200)]
    [InlineData(0.018, 90)]
    [InlineData(0.025, 60)]
    public void Fit_ValuesOfAKnownGeometry_RecoversItsTransmissionAndRadius(double transmission, double radiusMm)
    {
        MlcGeometry start = Millennium();
        MlcGeometry truth = start with { Transmission = transmission, InterleafTransmission = Math.Pow(transmission, start.InterleafScale), LeafEndRadiusMm = radiusMm };
        var measured = new MlcMeasurement { TransmissionFraction = MlcFit.ClosedTransmission(truth), DlgMm = truth.GeometricDlgMm(), File = "mlc.csv" };
        MlcFitResult r = MlcFit.Fit(start, measured);
        Assert.Equal(transmission, r.LeafTransmission, 1e-6);
        Assert.Equal(truth.InterleafTransmission, r.InterleafTransmission, 1e-6);
        Assert.Equal(radiusMm, r.LeafEndRadiusMm, 0.01 * radiusMm);
        Assert.Equal(measured.TransmissionFraction, r.ClosedTransmission, 1e-7);
        Assert.Equal(measured.DlgMm, r.DlgMm, 0.001);
        Assert.Null(r.DlgLimit);
    }

    [Fact]
    public void Fit_ClosedTransmissionIsBetweenLeafAndInterleaf()
    {
        MlcGeometry g = Millennium();
        double closed = MlcFit.ClosedTransmission(g);
        Assert.InRange(closed, g.Transmission, g.InterleafTransmission);
    }

    [Fact]
    public void Fit_DlgBeyondTheRadiusBounds_StopsAtTheBoundAndSaysSo()
    {
        var measured = new MlcMeasurement { TransmissionFraction = 0.017, DlgMm = 40, File = "mlc.csv" };
        MlcFitResult r = MlcFit.Fit(Millennium(), measured);
        Assert.Equal(MlcFit.MinRadiusMm, r.LeafEndRadiusMm);
        Assert.Contains("above", r.DlgLimit, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_TransmissionNoLeafGeometryGives_RefusedNamingTheFile()
    {
        var measured = new MlcMeasurement { TransmissionFraction = 0.3, DlgMm = 1.6, File = "mlc.csv" };
        var e = Assert.Throws<ArgumentException>(() => MlcFit.Fit(Millennium(), measured));
        Assert.StartsWith("mlc.csv: closed-leaf transmission 30 %", e.Message, StringComparison.Ordinal);
    }
}
