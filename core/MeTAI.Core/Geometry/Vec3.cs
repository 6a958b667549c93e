using System.Globalization;
using System.Runtime.CompilerServices;

namespace MeTAI.Core.Geometry;

/// <summary>
/// A 3-vector in double precision. The frame and unit are the caller's (write them in names:
/// <c>pointLps</c> in millimetres for patient geometry, <c>positionM</c> in metres for robotics).
/// </summary>
public readonly record struct Vec3(double X, double Y, double Z)
{
    /// <summary>The zero vector.</summary>
    public static Vec3 Zero => default;

    /// <summary>Unit vector along X.</summary>
    public static Vec3 UnitX => new(1, 0, 0);

    /// <summary>Unit vector along Y.</summary>
    public static Vec3 UnitY => new(0, 1, 0);

    /// <summary>Unit vector along Z.</summary>
    public static Vec3 UnitZ => new(0, 0, 1);

    /// <summary>Component-wise sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    /// <summary>Component-wise difference.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    /// <summary>Negation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    /// <summary>Scaling by a scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator *(Vec3 a, double s) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Scaling by a scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator *(double s, Vec3 a) => new(a.X * s, a.Y * s, a.Z * s);

    /// <summary>Division by a scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 operator /(Vec3 a, double s) => new(a.X / s, a.Y / s, a.Z / s);

    /// <summary>Dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(Vec3 a, Vec3 b) => a.X * b.X + a.Y * b.Y + a.Z * b.Z;

    /// <summary>Cross product a × b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 Cross(Vec3 a, Vec3 b) => new(a.Y * b.Z - a.Z * b.Y, a.Z * b.X - a.X * b.Z, a.X * b.Y - a.Y * b.X);

    /// <summary>Component-wise product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vec3 Multiply(Vec3 a, Vec3 b) => new(a.X * b.X, a.Y * b.Y, a.Z * b.Z);

    /// <summary>Component-wise minimum.</summary>
    public static Vec3 Min(Vec3 a, Vec3 b) => new(Math.Min(a.X, b.X), Math.Min(a.Y, b.Y), Math.Min(a.Z, b.Z));

    /// <summary>Component-wise maximum.</summary>
    public static Vec3 Max(Vec3 a, Vec3 b) => new(Math.Max(a.X, b.X), Math.Max(a.Y, b.Y), Math.Max(a.Z, b.Z));

    /// <summary>Linear interpolation a + (b − a)·t.</summary>
    public static Vec3 Lerp(Vec3 a, Vec3 b, double t) => a + (b - a) * t;

    /// <summary>Euclidean distance between two points.</summary>
    public static double Distance(Vec3 a, Vec3 b) => (a - b).Length;

    /// <summary>Euclidean length.</summary>
    public double Length => Math.Sqrt(X * X + Y * Y + Z * Z);

    /// <summary>Squared Euclidean length.</summary>
    public double LengthSquared => X * X + Y * Y + Z * Z;

    /// <summary>The vector scaled to unit length; throws for a zero vector.</summary>
    public Vec3 Normalized()
    {
        double length = Length;
        if (length == 0 || !double.IsFinite(length))
        {
            throw new InvalidOperationException($"Cannot normalise vector {this}.");
        }

        return this / length;
    }

    /// <summary>Component by index 0, 1, 2.</summary>
    public double this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>True when every component is finite.</summary>
    public bool IsFinite => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(Z);

    /// <summary>Round-trippable invariant text, e.g. <c>(1, 2.5, -3)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"({X:R}, {Y:R}, {Z:R})");

    /// <summary>The components as an array [X, Y, Z] (for JSON and DICOM).</summary>
    public double[] ToArray() => [X, Y, Z];

    /// <summary>Builds a vector from a three-element span.</summary>
    public static Vec3 FromSpan(ReadOnlySpan<double> xyz)
    {
        if (xyz.Length != 3)
        {
            throw new ArgumentException($"Expected 3 components, got {xyz.Length}.", nameof(xyz));
        }

        return new Vec3(xyz[0], xyz[1], xyz[2]);
    }
}
