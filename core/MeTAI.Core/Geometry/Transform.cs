namespace MeTAI.Core.Geometry;

/// <summary>
/// An affine map <c>x ↦ Linear·x + Translation</c> between two frames, e.g. the patient→robot registration
/// (rigid: <see cref="Linear"/> a rotation) or voxel index → LPS (direction cosines × spacing).
/// </summary>
public readonly record struct Transform(Mat3 Linear, Vec3 Translation)
{
    /// <summary>The identity transform.</summary>
    public static Transform Identity => new(Mat3.Identity, Vec3.Zero);

    /// <summary>Maps a point.</summary>
    public Vec3 Apply(Vec3 point) => Linear * point + Translation;

    /// <summary>Maps a direction (no translation).</summary>
    public Vec3 ApplyVector(Vec3 vector) => Linear * vector;

    /// <summary>The inverse map; throws for a singular linear part.</summary>
    public Transform Inverse()
    {
        Mat3 inv = Linear.Inverse();
        return new Transform(inv, -(inv * Translation));
    }

    /// <summary>Composition: <c>a * b</c> applies b first, then a.</summary>
    public static Transform operator *(Transform a, Transform b) =>
        new(a.Linear * b.Linear, a.Linear * b.Translation + a.Translation);

    /// <summary>True when the linear part is a proper rotation.</summary>
    public bool IsRigid(double tolerance = 1e-6) => Linear.IsRotation(tolerance);

    /// <summary>As a pose; throws unless the transform is rigid.</summary>
    public Pose ToPose()
    {
        if (!IsRigid())
        {
            throw new InvalidOperationException("Only a rigid transform can be expressed as a pose.");
        }

        return new Pose(Translation, Quat.FromMatrix(Linear));
    }

    /// <summary>Row-major 4×4 homogeneous matrix (16 numbers), as JSON configs hold it.</summary>
    public double[] ToRowMajor4x4() =>
    [
        Linear.M00, Linear.M01, Linear.M02, Translation.X,
        Linear.M10, Linear.M11, Linear.M12, Translation.Y,
        Linear.M20, Linear.M21, Linear.M22, Translation.Z,
        0, 0, 0, 1,
    ];

    /// <summary>Reads a row-major 4×4 homogeneous matrix; the last row must be 0 0 0 1.</summary>
    public static Transform FromRowMajor4x4(ReadOnlySpan<double> m)
    {
        if (m.Length != 16)
        {
            throw new ArgumentException($"A 4×4 matrix needs 16 numbers, got {m.Length}.", nameof(m));
        }

        if (m[12] != 0 || m[13] != 0 || m[14] != 0 || m[15] != 1)
        {
            throw new ArgumentException("The last row of a 4×4 transform must be 0 0 0 1.", nameof(m));
        }

        return new Transform(new Mat3(m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]), new Vec3(m[3], m[7], m[11]));
    }
}
