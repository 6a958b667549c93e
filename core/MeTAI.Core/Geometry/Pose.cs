namespace MeTAI.Core.Geometry;

/// <summary>
/// A rigid pose: a position and an orientation in some named frame (a beam pose in LPS mm, a tool pose in the robot
/// base frame in metres). Composition follows the frame convention <c>a_T_c = a_T_b * b_T_c</c>.
/// </summary>
public readonly record struct Pose(Vec3 Position, Quat Orientation)
{
    /// <summary>The identity pose.</summary>
    public static Pose Identity => new(Vec3.Zero, Quat.Identity);

    /// <summary>Maps a point given in this pose's local frame into the parent frame.</summary>
    public Vec3 TransformPoint(Vec3 local) => Position + Orientation.Rotate(local);

    /// <summary>Rotates a direction given in the local frame into the parent frame.</summary>
    public Vec3 TransformVector(Vec3 local) => Orientation.Rotate(local);

    /// <summary>The inverse pose.</summary>
    public Pose Inverse()
    {
        Quat inv = Orientation.Conjugate();
        return new Pose(-inv.Rotate(Position), inv);
    }

    /// <summary>Composition: <c>a * b</c> applies b first, then a.</summary>
    public static Pose operator *(Pose a, Pose b) =>
        new(a.Position + a.Orientation.Rotate(b.Position), (a.Orientation * b.Orientation).Normalized());

    /// <summary>As a <see cref="Transform"/>.</summary>
    public Transform ToTransform() => new(Orientation.ToMatrix(), Position);
}
