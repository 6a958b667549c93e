namespace MeTAI.Core.Geometry;

/// <summary>A unit quaternion (W + Xi + Yj + Zk) for orientations, in double precision.</summary>
public readonly record struct Quat(double W, double X, double Y, double Z)
{
    /// <summary>The identity rotation.</summary>
    public static Quat Identity => new(1, 0, 0, 0);

    /// <summary>Rotation about an axis by <paramref name="angleRad"/> (right-handed).</summary>
    public static Quat FromAxisAngle(Vec3 axis, double angleRad)
    {
        Vec3 u = axis.Normalized();
        double h = angleRad / 2, s = Math.Sin(h);
        return new Quat(Math.Cos(h), u.X * s, u.Y * s, u.Z * s);
    }

    /// <summary>Quaternion of a rotation matrix (Shepperd's method, numerically stable).</summary>
    public static Quat FromMatrix(Mat3 m)
    {
        double trace = m.M00 + m.M11 + m.M22;
        Quat q;
        if (trace > 0)
        {
            double s = Math.Sqrt(trace + 1.0) * 2;
            q = new Quat(0.25 * s, (m.M21 - m.M12) / s, (m.M02 - m.M20) / s, (m.M10 - m.M01) / s);
        }
        else if (m.M00 > m.M11 && m.M00 > m.M22)
        {
            double s = Math.Sqrt(1.0 + m.M00 - m.M11 - m.M22) * 2;
            q = new Quat((m.M21 - m.M12) / s, 0.25 * s, (m.M01 + m.M10) / s, (m.M02 + m.M20) / s);
        }
        else if (m.M11 > m.M22)
        {
            double s = Math.Sqrt(1.0 + m.M11 - m.M00 - m.M22) * 2;
            q = new Quat((m.M02 - m.M20) / s, (m.M01 + m.M10) / s, 0.25 * s, (m.M12 + m.M21) / s);
        }
        else
        {
            double s = Math.Sqrt(1.0 + m.M22 - m.M00 - m.M11) * 2;
            q = new Quat((m.M10 - m.M01) / s, (m.M02 + m.M20) / s, (m.M12 + m.M21) / s, 0.25 * s);
        }

        return q.Normalized();
    }

    /// <summary>Hamilton product: the rotation b followed by a.</summary>
    public static Quat operator *(Quat a, Quat b) => new(
        a.W * b.W - a.X * b.X - a.Y * b.Y - a.Z * b.Z,
        a.W * b.X + a.X * b.W + a.Y * b.Z - a.Z * b.Y,
        a.W * b.Y - a.X * b.Z + a.Y * b.W + a.Z * b.X,
        a.W * b.Z + a.X * b.Y - a.Y * b.X + a.Z * b.W);

    /// <summary>Rotates a vector.</summary>
    public Vec3 Rotate(Vec3 v)
    {
        // v' = v + 2w(q×v) + 2 q×(q×v) — cheaper than building the matrix.
        var q = new Vec3(X, Y, Z);
        Vec3 t = 2 * Vec3.Cross(q, v);
        return v + W * t + Vec3.Cross(q, t);
    }

    /// <summary>The conjugate (inverse of a unit quaternion).</summary>
    public Quat Conjugate() => new(W, -X, -Y, -Z);

    /// <summary>Norm.</summary>
    public double Norm => Math.Sqrt(W * W + X * X + Y * Y + Z * Z);

    /// <summary>The quaternion scaled to unit norm.</summary>
    public Quat Normalized()
    {
        double n = Norm;
        if (n == 0 || !double.IsFinite(n))
        {
            throw new InvalidOperationException("Cannot normalise a zero quaternion.");
        }

        return new Quat(W / n, X / n, Y / n, Z / n);
    }

    /// <summary>Rotation matrix of this (unit) quaternion.</summary>
    public Mat3 ToMatrix()
    {
        double xx = X * X, yy = Y * Y, zz = Z * Z, xy = X * Y, xz = X * Z, yz = Y * Z, wx = W * X, wy = W * Y, wz = W * Z;
        return new Mat3(
            1 - 2 * (yy + zz), 2 * (xy - wz), 2 * (xz + wy),
            2 * (xy + wz), 1 - 2 * (xx + zz), 2 * (yz - wx),
            2 * (xz - wy), 2 * (yz + wx), 1 - 2 * (xx + yy));
    }

    /// <summary>Angle in radians of the rotation that takes <paramref name="a"/> to <paramref name="b"/> (0…π).</summary>
    public static double AngleBetween(Quat a, Quat b)
    {
        double d = Math.Abs(a.W * b.W + a.X * b.X + a.Y * b.Y + a.Z * b.Z);
        return 2 * Math.Acos(Math.Min(1.0, d));
    }

    /// <summary>Spherical linear interpolation.</summary>
    public static Quat Slerp(Quat a, Quat b, double t)
    {
        double d = a.W * b.W + a.X * b.X + a.Y * b.Y + a.Z * b.Z;
        if (d < 0)
        {
            b = new Quat(-b.W, -b.X, -b.Y, -b.Z);
            d = -d;
        }

        if (d > 0.9995)
        {
            return new Quat(a.W + t * (b.W - a.W), a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y), a.Z + t * (b.Z - a.Z)).Normalized();
        }

        double theta = Math.Acos(d), s = Math.Sin(theta);
        double wa = Math.Sin((1 - t) * theta) / s, wb = Math.Sin(t * theta) / s;
        return new Quat(wa * a.W + wb * b.W, wa * a.X + wb * b.X, wa * a.Y + wb * b.Y, wa * a.Z + wb * b.Z);
    }
}
