using System.Runtime.CompilerServices;

namespace MeTAI.Core.Geometry;

/// <summary>
/// A 3×3 matrix in double precision, row-major (<c>M01</c> is row 0, column 1). Used for rotations and for the
/// direction cosines of voxel grids, whose columns are the world directions of the i, j, k index axes.
/// </summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    /// <summary>The identity matrix.</summary>
    public static Mat3 Identity => new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>Builds a matrix from three column vectors.</summary>
    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) =>
        new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    /// <summary>Builds a matrix from three row vectors.</summary>
    public static Mat3 FromRows(Vec3 r0, Vec3 r1, Vec3 r2) =>
        new(r0.X, r0.Y, r0.Z, r1.X, r1.Y, r1.Z, r2.X, r2.Y, r2.Z);

    /// <summary>Column <paramref name="index"/> (0, 1 or 2).</summary>
    public Vec3 Column(int index) => index switch
    {
        0 => new Vec3(M00, M10, M20),
        1 => new Vec3(M01, M11, M21),
        2 => new Vec3(M02, M12, M22),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Row <paramref name="index"/> (0, 1 or 2).</summary>
    public Vec3 Row(int index) => index switch
    {
        0 => new Vec3(M00, M01, M02),
        1 => new Vec3(M10, M11, M12),
        2 => new Vec3(M20, M21, M22),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Matrix × vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator *(Mat3 m, Vec3 v) => new(
        m.M00 * v.X + m.M01 * v.Y + m.M02 * v.Z,
        m.M10 * v.X + m.M11 * v.Y + m.M12 * v.Z,
        m.M20 * v.X + m.M21 * v.Y + m.M22 * v.Z);

    /// <summary>Matrix × matrix.</summary>
    public static Mat3 operator *(Mat3 a, Mat3 b) => new(
        a.M00 * b.M00 + a.M01 * b.M10 + a.M02 * b.M20,
        a.M00 * b.M01 + a.M01 * b.M11 + a.M02 * b.M21,
        a.M00 * b.M02 + a.M01 * b.M12 + a.M02 * b.M22,
        a.M10 * b.M00 + a.M11 * b.M10 + a.M12 * b.M20,
        a.M10 * b.M01 + a.M11 * b.M11 + a.M12 * b.M21,
        a.M10 * b.M02 + a.M11 * b.M12 + a.M12 * b.M22,
        a.M20 * b.M00 + a.M21 * b.M10 + a.M22 * b.M20,
        a.M20 * b.M01 + a.M21 * b.M11 + a.M22 * b.M21,
        a.M20 * b.M02 + a.M21 * b.M12 + a.M22 * b.M22);

    /// <summary>Transpose (the inverse for a rotation).</summary>
    public Mat3 Transposed() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    /// <summary>Determinant.</summary>
    public double Determinant =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    /// <summary>General inverse; throws for a singular matrix.</summary>
    public Mat3 Inverse()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-300 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("Matrix is singular.");
        }

        double inv = 1.0 / det;
        return new Mat3(
            (M11 * M22 - M12 * M21) * inv, (M02 * M21 - M01 * M22) * inv, (M01 * M12 - M02 * M11) * inv,
            (M12 * M20 - M10 * M22) * inv, (M00 * M22 - M02 * M20) * inv, (M02 * M10 - M00 * M12) * inv,
            (M10 * M21 - M11 * M20) * inv, (M01 * M20 - M00 * M21) * inv, (M00 * M11 - M01 * M10) * inv);
    }

    /// <summary>Rotation about a unit axis by <paramref name="angleRad"/> (right-handed).</summary>
    public static Mat3 Rotation(Vec3 axis, double angleRad)
    {
        Vec3 u = axis.Normalized();
        double c = Math.Cos(angleRad), s = Math.Sin(angleRad), t = 1 - c;
        return new Mat3(
            t * u.X * u.X + c, t * u.X * u.Y - s * u.Z, t * u.X * u.Z + s * u.Y,
            t * u.X * u.Y + s * u.Z, t * u.Y * u.Y + c, t * u.Y * u.Z - s * u.X,
            t * u.X * u.Z - s * u.Y, t * u.Y * u.Z + s * u.X, t * u.Z * u.Z + c);
    }

    /// <summary>Rotation about X by <paramref name="angleRad"/>.</summary>
    public static Mat3 RotationX(double angleRad)
    {
        double c = Math.Cos(angleRad), s = Math.Sin(angleRad);
        return new Mat3(1, 0, 0, 0, c, -s, 0, s, c);
    }

    /// <summary>Rotation about Y by <paramref name="angleRad"/>.</summary>
    public static Mat3 RotationY(double angleRad)
    {
        double c = Math.Cos(angleRad), s = Math.Sin(angleRad);
        return new Mat3(c, 0, s, 0, 1, 0, -s, 0, c);
    }

    /// <summary>Rotation about Z by <paramref name="angleRad"/>.</summary>
    public static Mat3 RotationZ(double angleRad)
    {
        double c = Math.Cos(angleRad), s = Math.Sin(angleRad);
        return new Mat3(c, -s, 0, s, c, 0, 0, 0, 1);
    }

    /// <summary>True when the matrix is orthonormal with determinant +1 within <paramref name="tolerance"/>.</summary>
    public bool IsRotation(double tolerance = 1e-6)
    {
        Mat3 p = this * Transposed();
        return Math.Abs(p.M00 - 1) < tolerance && Math.Abs(p.M11 - 1) < tolerance && Math.Abs(p.M22 - 1) < tolerance
            && Math.Abs(p.M01) < tolerance && Math.Abs(p.M02) < tolerance && Math.Abs(p.M12) < tolerance
            && Math.Abs(Determinant - 1) < tolerance;
    }
}
