using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Radiotherapy;

/// <summary>
/// Turns a plan beam into the pose of the beam device the arm carries (robot base frame, m): the tool's x axis along the
/// beam (source → isocentre), its tip <see cref="StandoffM"/> from the isocentre on the source side, rolled by the
/// collimator angle. Patient → robot is the treatment-room registration: a rotation (patient LPS axes → robot axes) and
/// the robot-frame point the plan isocentre was set up at.
/// </summary>
/// <remarks>
/// Beam direction for a head-first-supine patient (IEC 61217): in the fixed system the source sits at
/// (sin g, 0, cos g) for gantry angle g; the couch turns the patient by c about the vertical, so in the patient support
/// system the source direction is Rz(−c)·(sin g, 0, cos g); for HFS, IEC patient support X, Y, Z are patient left,
/// superior and anterior, i.e. LPS (x, z, −y). Gantry 0 is an anterior beam, gantry 90 a left lateral one. At collimator
/// 0 the tool's y axis points to the patient's head (IEC beam-limiting Y towards the gantry).
/// </remarks>
public sealed class BeamPoseMapper
{
    /// <summary>Creates the mapper.</summary>
    /// <param name="patientToRobotRotation">Patient LPS axes → robot axes (a rotation).</param>
    /// <param name="isocenterRobotM">Where the plan isocentre lies in the robot base frame (m).</param>
    /// <param name="planIsocenterLps">The plan's (first beam's) isocentre, LPS mm.</param>
    /// <param name="standoffM">Tool tip to isocentre (m).</param>
    public BeamPoseMapper(Mat3 patientToRobotRotation, Vec3 isocenterRobotM, Vec3 planIsocenterLps, double standoffM)
    {
        if (!patientToRobotRotation.IsRotation(1e-6))
        {
            throw new ArgumentException("The patient → robot rotation must be a proper rotation.", nameof(patientToRobotRotation));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(standoffM);
        Rotation = patientToRobotRotation;
        IsocenterRobotM = isocenterRobotM;
        PlanIsocenterLps = planIsocenterLps;
        StandoffM = standoffM;
    }

    /// <summary>Patient LPS → robot rotation.</summary>
    public Mat3 Rotation { get; }

    /// <summary>Isocentre in the robot frame (m).</summary>
    public Vec3 IsocenterRobotM { get; }

    /// <summary>The plan isocentre it corresponds to (LPS mm).</summary>
    public Vec3 PlanIsocenterLps { get; }

    /// <summary>Tool tip to isocentre (m).</summary>
    public double StandoffM { get; }

    /// <summary>Patient LPS mm → robot m.</summary>
    public Vec3 PatientToRobot(Vec3 lpsMm) => IsocenterRobotM + Rotation * ((lpsMm - PlanIsocenterLps) * 1e-3);

    /// <summary>Unit vector from the isocentre to the source, patient LPS (head-first supine).</summary>
    public static Vec3 SourceDirectionLps(double gantryDeg, double couchDeg)
    {
        double g = gantryDeg * Math.PI / 180, c = couchDeg * Math.PI / 180;
        var fixedSystem = new Vec3(Math.Sin(g), 0, Math.Cos(g));
        // Rz(−c): a room-fixed vector seen from the turned couch.
        var support = new Vec3(Math.Cos(c) * fixedSystem.X + Math.Sin(c) * fixedSystem.Y, -Math.Sin(c) * fixedSystem.X + Math.Cos(c) * fixedSystem.Y, fixedSystem.Z);
        return new Vec3(support.X, -support.Z, support.Y);
    }

    /// <summary>The beam device pose for <paramref name="beam"/> (robot base frame).</summary>
    public Pose PoseOf(BeamPose beam)
    {
        ArgumentNullException.ThrowIfNull(beam);
        Vec3 sourceLps = SourceDirectionLps(beam.GantryDeg, beam.CouchDeg);
        Vec3 x = (Rotation * -sourceLps).Normalized();

        // Collimator 0: tool y towards the patient's head (LPS +z), made perpendicular to the beam; along the head axis
        // (a couch-90 lateral beam) fall back to LPS −y.
        Vec3 up = Rotation * new Vec3(0, 0, 1);
        if (Math.Abs(Vec3.Dot(up, x)) > 0.99)
        {
            up = Rotation * new Vec3(0, -1, 0);
        }

        Vec3 y = (up - x * Vec3.Dot(up, x)).Normalized();
        Vec3 z = Vec3.Cross(x, y);
        Quat orientation = Quat.FromMatrix(Mat3.FromColumns(x, y, z));
        orientation = (orientation * Quat.FromAxisAngle(Vec3.UnitX, beam.CollimatorDeg * Math.PI / 180)).Normalized();
        Vec3 tip = PatientToRobot(beam.IsocenterLps) + Rotation * sourceLps * StandoffM;
        return new Pose(tip, orientation);
    }
}
