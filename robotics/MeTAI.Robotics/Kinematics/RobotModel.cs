using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Kinematics;

/// <summary>
/// A serial revolute arm: joints (URDF subset), tool frame, home pose, patient → robot registration and servo
/// mapping. Forward kinematics and the geometric Jacobian; both allocation-free given caller buffers.
/// Robot base frame, SI units (metres, radians).
/// </summary>
public sealed class RobotModel
{
    private readonly JointSpec[] _joints;
    private readonly double[] _homeRad;

    /// <summary>Creates and validates a model.</summary>
    public RobotModel(string name, IReadOnlyList<JointSpec> joints, Pose toolFrame, IReadOnlyList<double> homeRad,
        Transform patientToRobot, ServoMapping servo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(joints);
        ArgumentNullException.ThrowIfNull(homeRad);
        ArgumentNullException.ThrowIfNull(servo);
        if (joints.Count < 1 || joints.Count > 12)
        {
            throw new ArgumentException($"A robot needs 1…12 joints, got {joints.Count}.", nameof(joints));
        }

        if (homeRad.Count != joints.Count)
        {
            throw new ArgumentException($"homeRad has {homeRad.Count} values for {joints.Count} joints.", nameof(homeRad));
        }

        var ids = new HashSet<byte>();
        for (int i = 0; i < joints.Count; i++)
        {
            JointSpec j = joints[i];
            if (!(j.MinRad < j.MaxRad) || !double.IsFinite(j.MinRad) || !double.IsFinite(j.MaxRad))
            {
                throw new ArgumentException($"joints[{i}] ({j.Name}): limits must satisfy min < max, got [{j.MinRad}, {j.MaxRad}].", nameof(joints));
            }

            if (!(j.MaxVelocityRadS > 0) || !(j.MaxAccelerationRadS2 > 0) || !(j.TrackingToleranceRad > 0))
            {
                throw new ArgumentException($"joints[{i}] ({j.Name}): velocity, acceleration and tracking tolerance must be positive.", nameof(joints));
            }

            if (Math.Abs(j.Axis.Length - 1) > 1e-6)
            {
                throw new ArgumentException($"joints[{i}] ({j.Name}): axis must be a unit vector, got {j.Axis}.", nameof(joints));
            }

            if (j.ServoId is 0 or >= 0xFD || !ids.Add(j.ServoId))
            {
                throw new ArgumentException($"joints[{i}] ({j.Name}): servo ID {j.ServoId} is invalid or used twice.", nameof(joints));
            }

            if (j.Direction is not (1 or -1))
            {
                throw new ArgumentException($"joints[{i}] ({j.Name}): direction must be +1 or -1.", nameof(joints));
            }

            if (homeRad[i] < j.MinRad || homeRad[i] > j.MaxRad)
            {
                throw new ArgumentException($"homeRad[{i}] = {homeRad[i]} lies outside joint {j.Name}'s limits.", nameof(homeRad));
            }
        }

        Name = name;
        _joints = [.. joints];
        _homeRad = [.. homeRad];
        ToolFrame = toolFrame;
        PatientToRobot = patientToRobot;
        Servo = servo;
    }

    /// <summary>Robot name.</summary>
    public string Name { get; }

    /// <summary>Joints from base to tool.</summary>
    public IReadOnlyList<JointSpec> Joints => _joints;

    /// <summary>Number of joints.</summary>
    public int JointCount => _joints.Length;

    /// <summary>Last link → tool tip.</summary>
    public Pose ToolFrame { get; }

    /// <summary>Home joint angles (rad).</summary>
    public ReadOnlySpan<double> HomeRad => _homeRad;

    /// <summary>Patient LPS millimetres → robot base metres (rotation × 0.001 and translation in metres).</summary>
    public Transform PatientToRobot { get; }

    /// <summary>Joint ↔ counts mapping.</summary>
    public ServoMapping Servo { get; }

    /// <summary>Tool pose in the base frame for joint angles <paramref name="q"/>.</summary>
    public Pose ForwardKinematics(ReadOnlySpan<double> q)
    {
        CheckLength(q.Length);
        Pose t = Pose.Identity;
        for (int i = 0; i < _joints.Length; i++)
        {
            JointSpec j = _joints[i];
            t = t * j.Origin * new Pose(Vec3.Zero, Quat.FromAxisAngle(j.Axis, q[i]));
        }

        return t * ToolFrame;
    }

    /// <summary>
    /// Tool pose and the 6×n geometric Jacobian (rows vx vy vz ωx ωy ωz, column-major by joint:
    /// <c>jacobian[6*i + r]</c>) for joint angles <paramref name="q"/>.
    /// </summary>
    public Pose ForwardKinematics(ReadOnlySpan<double> q, Span<double> jacobian, Span<Vec3> axesScratch, Span<Vec3> originsScratch)
    {
        CheckLength(q.Length);
        if (jacobian.Length < 6 * _joints.Length || axesScratch.Length < _joints.Length || originsScratch.Length < _joints.Length)
        {
            throw new ArgumentException("Jacobian or scratch buffers too small.");
        }

        Pose t = Pose.Identity;
        for (int i = 0; i < _joints.Length; i++)
        {
            JointSpec j = _joints[i];
            t = t * j.Origin;
            axesScratch[i] = t.Orientation.Rotate(j.Axis);
            originsScratch[i] = t.Position;
            t = t * new Pose(Vec3.Zero, Quat.FromAxisAngle(j.Axis, q[i]));
        }

        Pose tool = t * ToolFrame;
        for (int i = 0; i < _joints.Length; i++)
        {
            Vec3 z = axesScratch[i];
            Vec3 v = Vec3.Cross(z, tool.Position - originsScratch[i]);
            int c = 6 * i;
            jacobian[c] = v.X;
            jacobian[c + 1] = v.Y;
            jacobian[c + 2] = v.Z;
            jacobian[c + 3] = z.X;
            jacobian[c + 4] = z.Y;
            jacobian[c + 5] = z.Z;
        }

        return tool;
    }

    /// <summary>Clamps each angle into its joint's limits.</summary>
    public void ClampToLimits(Span<double> q)
    {
        CheckLength(q.Length);
        for (int i = 0; i < _joints.Length; i++)
        {
            q[i] = Math.Clamp(q[i], _joints[i].MinRad, _joints[i].MaxRad);
        }
    }

    /// <summary>Joint angles → servo counts.</summary>
    public void ToCounts(ReadOnlySpan<double> q, Span<int> counts)
    {
        for (int i = 0; i < _joints.Length; i++)
        {
            counts[i] = Servo.ToCounts(q[i], _joints[i]);
        }
    }

    /// <summary>Servo counts → joint angles.</summary>
    public void ToRad(ReadOnlySpan<int> counts, Span<double> q)
    {
        for (int i = 0; i < _joints.Length; i++)
        {
            q[i] = Servo.ToRad(counts[i], _joints[i]);
        }
    }

    private void CheckLength(int n)
    {
        if (n != _joints.Length)
        {
            throw new ArgumentException($"Expected {_joints.Length} joint values, got {n}.");
        }
    }
}
