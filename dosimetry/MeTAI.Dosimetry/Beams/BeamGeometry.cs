using MeTAI.Core;
using MeTAI.Core.Geometry;

namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// IEC 61217 beam geometry in DICOM patient coordinates (LPS, mm) for a patient lying in <see cref="Position"/>.
/// IEC fixed axes: X_f to the right of an observer at the foot of the couch facing the gantry, Y_f toward the gantry,
/// Z_f up. Gantry angle θ_g rotates the source about Y_f: the source direction from the isocentre is
/// (sin θ_g, 0, cos θ_g) in the fixed frame (gantry 0: above the couch; 90: at X_f). The beam-limiting device frame
/// turns about the beam axis by the collimator angle (right-handed about the source direction). The couch angle turns
/// the patient support counter-clockwise seen from above, i.e. the beam turns by −θ_couch about the vertical in the
/// support frame, and the patient position maps the support frame to LPS (<see cref="PatientPositions.SupportToLps"/>):
/// for head-first supine X_f = LPS +x (patient left), Y_f = +z (superior), Z_f = −y (anterior), so gantry 0 is an
/// anterior beam and 90 a left lateral; for head-first prone gantry 0 enters posteriorly and 90 from the right.
/// </summary>
public sealed class BeamGeometry
{
    /// <summary>
    /// Computes the beam frame for the given angles (degrees), isocentre (LPS mm), source-axis distance (mm) and patient
    /// position (head-first supine for water phantoms and the beam-model set-ups; a patient's comes from the CT and plan).
    /// </summary>
    public BeamGeometry(double gantryDeg, double collimatorDeg, double couchDeg, Vec3 isocenterLps, double sadMm = 1000, PatientPosition position = PatientPosition.HeadFirstSupine)
    {
        if (!(sadMm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(sadMm), sadMm, "SAD must be positive.");
        }

        GantryDeg = gantryDeg;
        CollimatorDeg = collimatorDeg;
        CouchDeg = couchDeg;
        IsocenterLps = isocenterLps;
        SadMm = sadMm;
        Position = position;
        double g = Units.DegToRad(gantryDeg), c = Units.DegToRad(collimatorDeg), t = Units.DegToRad(-couchDeg);
        // Gantry frame in IEC fixed coordinates.
        var zg = new Vec3(Math.Sin(g), 0, Math.Cos(g));
        var yg = new Vec3(0, 1, 0);
        var xg = new Vec3(Math.Cos(g), 0, -Math.Sin(g));
        // Beam-limiting device frame.
        Vec3 xb = xg * Math.Cos(c) + yg * Math.Sin(c);
        Vec3 yb = xg * -Math.Sin(c) + yg * Math.Cos(c);
        // Fixed → patient support (the couch turned by its angle) → LPS (how the patient lies on the support).
        Mat3 toLps = position.SupportToLps() * Mat3.RotationZ(t);
        SourceDirectionLps = toLps * zg;
        BldXLps = toLps * xb;
        BldYLps = toLps * yb;
        SourceLps = isocenterLps + SourceDirectionLps * sadMm;
        BeamAxisLps = -SourceDirectionLps;
    }

    /// <summary>Gantry angle in degrees.</summary>
    public double GantryDeg { get; }

    /// <summary>Collimator angle in degrees.</summary>
    public double CollimatorDeg { get; }

    /// <summary>Couch (patient support) angle in degrees.</summary>
    public double CouchDeg { get; }

    /// <summary>Isocentre in LPS mm.</summary>
    public Vec3 IsocenterLps { get; }

    /// <summary>Source-axis distance in mm.</summary>
    public double SadMm { get; }

    /// <summary>How the patient lies (Patient Position); it decides which anatomy each angle enters through.</summary>
    public PatientPosition Position { get; }

    /// <summary>Source position in LPS mm.</summary>
    public Vec3 SourceLps { get; }

    /// <summary>Unit vector from the isocentre toward the source (LPS).</summary>
    public Vec3 SourceDirectionLps { get; }

    /// <summary>Unit vector of the central axis, from the source toward the isocentre (LPS).</summary>
    public Vec3 BeamAxisLps { get; }

    /// <summary>Unit LPS direction of the beam-limiting-device X axis at the isocentre plane.</summary>
    public Vec3 BldXLps { get; }

    /// <summary>Unit LPS direction of the beam-limiting-device Y axis at the isocentre plane.</summary>
    public Vec3 BldYLps { get; }

    /// <summary>LPS point (mm) of isocentre-plane coordinates (x, y) in the beam-limiting-device frame.</summary>
    public Vec3 IsoPlaneToLps(double xMm, double yMm) => IsocenterLps + BldXLps * xMm + BldYLps * yMm;

    /// <summary>An SSD setup on a flat surface: isocentre at depth SAD − SSD below the surface point along the axis.</summary>
    public static Vec3 IsocenterForSsd(Vec3 surfacePointOnAxisLps, Vec3 beamAxisLps, double sadMm, double ssdMm) =>
        surfacePointOnAxisLps + beamAxisLps.Normalized() * (sadMm - ssdMm);
}
