using MeTAI.Core.Geometry;

namespace MeTAI.Core.Tests.Geometry;

/// <summary>
/// <see cref="PatientPositions"/>: the DICOM codes, and the IEC 61217 table-top axes in LPS for each position, checked
/// against what scanners write for that position (Image Orientation (Patient): rows run to the room's X, columns down)
/// and against the statements of PS3.3 C.7.3.1.1.2 (supine: face up; prone: face down; decubitus right: lying on the
/// right side).
/// </summary>
public class PatientPositionsTests
{
    [Theory]
    [InlineData("HFS", PatientPosition.HeadFirstSupine)]
    [InlineData("hfp ", PatientPosition.HeadFirstProne)]
    [InlineData("FFS", PatientPosition.FeetFirstSupine)]
    [InlineData("FFP", PatientPosition.FeetFirstProne)]
    [InlineData("HFDR", PatientPosition.HeadFirstDecubitusRight)]
    [InlineData("HFDL", PatientPosition.HeadFirstDecubitusLeft)]
    [InlineData("FFDR", PatientPosition.FeetFirstDecubitusRight)]
    [InlineData("FFDL", PatientPosition.FeetFirstDecubitusLeft)]
    public void Parse_EveryDefinedTerm_RoundTripsThroughItsCode(string code, PatientPosition expected)
    {
        PatientPosition p = PatientPositions.Parse(code, "CT x.dcm");
        Assert.Equal(expected, p);
        Assert.Equal(code.Trim().ToUpperInvariant(), p.Code());
    }

    [Theory]
    [InlineData(null, "CT x.dcm: Patient Position (0018,5100) is missing; the beam geometry depends on it (supported: HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR, FFDL; HFS is not assumed).")]
    [InlineData("  ", "CT x.dcm: Patient Position (0018,5100) is missing; the beam geometry depends on it (supported: HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR, FFDL; HFS is not assumed).")]
    [InlineData("SITTING", "CT x.dcm: Patient Position (0018,5100) 'SITTING' is not supported (supported: HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR, FFDL).")]
    [InlineData("AFDR", "CT x.dcm: Patient Position (0018,5100) 'AFDR' is not supported (supported: HFS, HFP, FFS, FFP, HFDR, HFDL, FFDR, FFDL).")]
    public void Parse_MissingOrUnknown_IsRefusedNamingTheValue(string? code, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => PatientPositions.Parse(code, "CT x.dcm"));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void SupportToLps_EveryPosition_IsAProperRotation()
    {
        foreach (PatientPosition p in PatientPositions.All)
        {
            Assert.True(p.SupportToLps().IsRotation(1e-12), p.Code());
        }
    }

    // Image Orientation (Patient) as CT scanners write it for each position: the row direction is the room's X_t (to
    // the right of an observer at the foot of the couch), the column direction the room's down (−Z_t).
    [Theory]
    [InlineData("HFS", 1, 0, 0, 0, 1, 0)]
    [InlineData("HFP", -1, 0, 0, 0, -1, 0)]
    [InlineData("FFS", -1, 0, 0, 0, 1, 0)]
    [InlineData("FFP", 1, 0, 0, 0, -1, 0)]
    [InlineData("HFDR", 0, 1, 0, -1, 0, 0)]
    [InlineData("HFDL", 0, -1, 0, 1, 0, 0)]
    [InlineData("FFDR", 0, -1, 0, -1, 0, 0)]
    [InlineData("FFDL", 0, 1, 0, 1, 0, 0)]
    public void SupportToLps_ScannerImageAxes_AreTheKnownImageOrientations(string code, double rx, double ry, double rz, double cx, double cy, double cz)
    {
        Mat3 m = PatientPositions.Parse(code, "test").SupportToLps();
        Assert.Equal(new Vec3(rx, ry, rz), Round(m.Column(0)));
        Assert.Equal(new Vec3(cx, cy, cz), Round(-m.Column(2)));
    }

    [Theory]
    [InlineData("HFS", 0, 1, 0, 0, 0, 1)]   // supine: gravity toward the back; head toward the gantry
    [InlineData("HFP", 0, -1, 0, 0, 0, 1)]  // prone: toward the front
    [InlineData("FFS", 0, 1, 0, 0, 0, -1)]
    [InlineData("FFP", 0, -1, 0, 0, 0, -1)]
    [InlineData("HFDR", -1, 0, 0, 0, 0, 1)] // lying on the right side: toward the patient's right
    [InlineData("HFDL", 1, 0, 0, 0, 0, 1)]
    [InlineData("FFDR", -1, 0, 0, 0, 0, -1)]
    [InlineData("FFDL", 1, 0, 0, 0, 0, -1)]
    public void GravityAndGantry_FollowThePosition(string code, double gx, double gy, double gz, double tx, double ty, double tz)
    {
        PatientPosition p = PatientPositions.Parse(code, "test");
        Assert.Equal(new Vec3(gx, gy, gz), Round(p.GravityLps()));
        Assert.Equal(new Vec3(tx, ty, tz), Round(p.TowardGantryLps()));
        Assert.Equal(p.TowardGantryLps(), p.SupportToLps().Column(1));
    }

    [Theory]
    [InlineData(1, 0, 0, "L")]
    [InlineData(-1, 0, 0, "R")]
    [InlineData(0, 1, 0, "P")]
    [InlineData(0, -1, 0, "A")]
    [InlineData(0, 0, 1, "S")]
    [InlineData(0, 0, -1, "I")]
    [InlineData(0.8, -0.6, 0, "LA")]
    [InlineData(0.99, 0.1, 0.05, "L")]
    public void Letters_NameTheAnatomicalDirection(double x, double y, double z, string letters) =>
        Assert.Equal(letters, PatientPositions.Letters(new Vec3(x, y, z)));

    [Fact]
    public void EdgeLettersAndCaptions_FollowTheImageAxes()
    {
        // An axial CT as scanners write it: HFS rows run to the patient's left, columns to the back; HFP the opposite.
        Assert.Equal(("R", "L", "A", "P"), PatientPositions.EdgeLetters(new Vec3(1, 0, 0), new Vec3(0, 1, 0)));
        Assert.Equal(("L", "R", "P", "A"), PatientPositions.EdgeLetters(new Vec3(-1, 0, 0), new Vec3(0, -1, 0)));
        Assert.Equal(("A", "P", "L", "R"), PatientPositions.EdgeLetters(new Vec3(0, 1, 0), new Vec3(-1, 0, 0)));
        Assert.Equal("x (mm, LPS) → patient left (L)", PatientPositions.AxisCaption(new Vec3(1, 0, 0), '→'));
        Assert.Equal("−y (mm, LPS) ↑ anterior (A)", PatientPositions.AxisCaption(new Vec3(0, -1, 0), '↑'));
        Assert.Equal("−x (mm, LPS) → patient right (R)", PatientPositions.AxisCaption(new Vec3(-1, 0, 0), '→'));
    }

    private static Vec3 Round(Vec3 v) => new(Math.Round(v.X, 12) + 0.0, Math.Round(v.Y, 12) + 0.0, Math.Round(v.Z, 12) + 0.0);
}
