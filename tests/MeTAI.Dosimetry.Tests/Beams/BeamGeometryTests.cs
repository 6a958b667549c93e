using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Dosimetry.Tests.Beams;

public class BeamGeometryTests
{
    private static void Near(Vec3 expected, Vec3 actual, double tol = 1e-9) =>
        Assert.True((expected - actual).Length < tol, $"expected {expected}, got {actual}");

    [Theory]
    [InlineData(0, 0, -1000, 0)]   // above the patient (anterior), beam toward +y (posterior)
    [InlineData(90, 1000, 0, 0)]   // patient's left
    [InlineData(180, 0, 1000, 0)]  // below the couch (posterior)
    [InlineData(270, -1000, 0, 0)] // patient's right
    public void Source_GantryAngles_Iec61217Positions(double gantry, double x, double y, double z)
    {
        var iso = new Vec3(10, 20, 30);
        var g = new BeamGeometry(gantry, 0, 0, iso, 1000);
        Near(iso + new Vec3(x, y, z), g.SourceLps, 1e-6);
        Near((iso - g.SourceLps) / 1000, g.BeamAxisLps);
    }

    [Fact]
    public void Collimator90_RectangularField_XAxisTurnsToPatientAxis()
    {
        var c0 = new BeamGeometry(0, 0, 0, Vec3.Zero);
        var c90 = new BeamGeometry(0, 90, 0, Vec3.Zero);
        Near(new Vec3(1, 0, 0), c0.BldXLps);   // gantry 0, collimator 0: X jaws along patient left-right
        Near(new Vec3(0, 0, 1), c0.BldYLps);   // Y jaws along the patient axis (toward the gantry)
        Near(new Vec3(0, 0, 1), c90.BldXLps);  // collimator 90: X jaws now along the patient axis
        Near(new Vec3(-1, 0, 0), c90.BldYLps);
        // A 40 (X) × 100 (Y) mm field: its long side lies along z at collimator 0, along x at 90.
        Vec3 corner0 = c0.IsoPlaneToLps(20, 50), corner90 = c90.IsoPlaneToLps(20, 50);
        Near(new Vec3(20, 0, 50), corner0);
        Near(new Vec3(-50, 0, 20), corner90);
    }

    [Fact]
    public void Couch90Gantry90_SourceInferior()
    {
        var g = new BeamGeometry(90, 0, 90, Vec3.Zero, 1000);
        Near(new Vec3(0, 0, -1000), g.SourceLps, 1e-6);
    }

    [Fact]
    public void IsocenterForSsd_Ssd100Sad100_OnSurface()
    {
        Vec3 iso = BeamGeometry.IsocenterForSsd(new Vec3(0, -50, 0), new Vec3(0, 1, 0), 1000, 900);
        Near(new Vec3(0, 50, 0), iso);
    }
}
