using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Kinematics;

/// <summary>
/// One revolute joint of a serial chain (URDF subset): the fixed transform from the parent link
/// (<see cref="Origin"/>), the rotation axis in the joint frame, limits, and the servo that drives it.
/// </summary>
public sealed class JointSpec
{
    /// <summary>Joint name (URDF <c>joint/@name</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Parent → joint frame at zero angle (URDF <c>origin xyz rpy</c>), metres.</summary>
    public required Pose Origin { get; init; }

    /// <summary>Unit rotation axis in the joint frame (URDF <c>axis xyz</c>).</summary>
    public required Vec3 Axis { get; init; }

    /// <summary>Lower position limit in radians.</summary>
    public required double MinRad { get; init; }

    /// <summary>Upper position limit in radians.</summary>
    public required double MaxRad { get; init; }

    /// <summary>Velocity limit in rad/s (URDF <c>limit/@velocity</c>).</summary>
    public required double MaxVelocityRadS { get; init; }

    /// <summary>Acceleration limit in rad/s² (not in URDF; our extension).</summary>
    public required double MaxAccelerationRadS2 { get; init; }

    /// <summary>Dynamixel ID of the servo.</summary>
    public required byte ServoId { get; init; }

    /// <summary>Tracking-error tolerance |goal − measured| in radians (dVRK-style per-joint tolerance).</summary>
    public required double TrackingToleranceRad { get; init; }

    /// <summary>+1 or −1: servo counting direction relative to the joint axis.</summary>
    public int Direction { get; init; } = 1;

    /// <summary>Joint angle (rad) at the servo's centre count.</summary>
    public double OffsetRad { get; init; }
}
