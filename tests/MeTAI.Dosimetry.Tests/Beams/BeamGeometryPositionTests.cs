using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Dosimetry.Tests.Beams;

/// <summary>
/// <see cref="BeamGeometry"/> for every patient position: which side of the patient each gantry angle's source lies
/// on (gantry 0 enters anteriorly for a supine patient and posteriorly for a prone one; gantry 90 from the left for HFS
/// and from the right for HFP and FFS — PS3.3 C.8.8.25.6.1 and IEC 61217), the collimator frame, and HFS unchanged.
/// </summary>
public class BeamGeometryPositionTests
{
    [Theory]
    [InlineData("HFS", "A", "L", "P", "R")]
    [InlineData("HFP", "P", "R", "A", "L")]
    [InlineData("FFS", "A", "R", "P", "L")]
    [InlineData("FFP", "P", "L", "A", "R")]
    [InlineData("HFDR", "L", "P", "R", "A")]
    [InlineData("HFDL", "R", "A", "L", "P")]
    [InlineData("FFDR", "L", "A", "R", "P")]
    [InlineData("FFDL", "R", "P", "L", "A")]
    public void Source_CardinalGantryAngles_LieOnTheSideTheTableSays(string code, string at0, string at90, string at180, string at270)
    {
        PatientPosition position = PatientPositions.Parse(code, "test");
        string[] expected = [at0, at90, at180, at270];
        for (int n = 0; n < 4; n++)
        {
            var g = new BeamGeometry(90 * n, 0, 0, new Vec3(5, -7, 11), 1000, position);
            Assert.Equal(expected[n], PatientPositions.Letters(g.SourceLps - g.IsocenterLps));
            Assert.Equal(1, Vec3.Dot(g.BeamAxisLps, -g.SourceDirectionLps), 12);
        }
    }

    [Theory]
    [InlineData("HFS", "S")]
    [InlineData("HFP", "S")]
    [InlineData("FFS", "I")]
    [InlineData("FFDL", "I")]
    public void CollimatorZero_YJawsPointTowardTheGantry(string code, string letter)
    {
        var g = new BeamGeometry(0, 0, 0, Vec3.Zero, 1000, PatientPositions.Parse(code, "test"));
        Assert.Equal(letter, PatientPositions.Letters(g.BldYLps));
    }

    [Fact]
    public void Couch90Gantry90_ProneHeadFirst_SourceInferiorLikeSupine()
    {
        // The couch turns the whole patient; the source swings toward the feet for both head-first positions.
        var g = new BeamGeometry(90, 0, 90, Vec3.Zero, 1000, PatientPosition.HeadFirstProne);
        Assert.Equal("I", PatientPositions.Letters(g.SourceDirectionLps));
    }

    [Fact]
    public void HeadFirstSupine_IsTheFormulaOfBefore()
    {
        // IEC fixed (x, y, z) → HFS LPS (x, −z, y), the mapping the geometry had before it took the position.
        var rng = new Random(3);
        for (int n = 0; n < 50; n++)
        {
            double gantry = rng.NextDouble() * 360, collimator = rng.NextDouble() * 360, couch = rng.NextDouble() * 360;
            var g = new BeamGeometry(gantry, collimator, couch, Vec3.Zero, 1000, PatientPosition.HeadFirstSupine);
            double a = gantry * Math.PI / 180, t = -couch * Math.PI / 180;
            Vec3 fixedSource = Mat3.RotationZ(t) * new Vec3(Math.Sin(a), 0, Math.Cos(a));
            Assert.True((new Vec3(fixedSource.X, -fixedSource.Z, fixedSource.Y) - g.SourceDirectionLps).Length < 1e-12);
            Assert.Equal(g.SourceDirectionLps, new BeamGeometry(gantry, collimator, couch, Vec3.Zero).SourceDirectionLps);
        }
    }

    [Fact]
    public void SameLeftLateralBeam_EveryPosition_IsOneLpsGeometry()
    {
        // A left lateral field is gantry 90 for HFS and FFP, 270 for HFP and FFS: the same beam in patient coordinates.
        var hfs = new BeamGeometry(90, 0, 0, Vec3.Zero, 1000, PatientPosition.HeadFirstSupine);
        foreach ((PatientPosition p, double gantry) in new[] { (PatientPosition.HeadFirstProne, 270.0), (PatientPosition.FeetFirstSupine, 270.0), (PatientPosition.FeetFirstProne, 90.0) })
        {
            var g = new BeamGeometry(gantry, 0, 0, Vec3.Zero, 1000, p);
            Assert.True((g.SourceLps - hfs.SourceLps).Length < 1e-9, p.Code());
            Assert.True(Math.Abs(Math.Abs(Vec3.Dot(g.BldXLps, hfs.BldXLps)) - 1) < 1e-12, p.Code());
        }
    }
}
