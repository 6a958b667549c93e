using MeTAI.Core.Geometry;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>
/// An axis-aligned ellipsoid (a sphere when the semi-axes are equal), optionally grown by a margin: the set of points
/// within <c>marginMm</c> of the ellipsoid (its exact parallel body, as a CTV → PTV expansion draws it).
/// </summary>
internal readonly struct EllipsoidShape(Vec3 centerLps, Vec3 semiAxesMm, double marginMm = 0) : IShape
{
    public Vec3 MinLps => centerLps - semiAxesMm - new Vec3(marginMm, marginMm, marginMm);

    public Vec3 MaxLps => centerLps + semiAxesMm + new Vec3(marginMm, marginMm, marginMm);

    public bool Contains(Vec3 pointLps)
    {
        Vec3 d = pointLps - centerLps;
        double u = d.X / semiAxesMm.X, v = d.Y / semiAxesMm.Y, w = d.Z / semiAxesMm.Z;
        if (u * u + v * v + w * w <= 1)
        {
            return true;
        }

        return marginMm > 0 && DistanceOutsideMm(d, semiAxesMm) <= marginMm;
    }

    /// <summary>
    /// Distance from a point outside an origin-centred ellipsoid to its surface. The nearest surface point is
    /// x_i = e_i² p_i / (e_i² + t) with t ≥ 0 the root of g(t) = Σ (e_i p_i / (e_i² + t))² − 1; g is convex and
    /// decreasing for t ≥ 0 and g(0) > 0 outside, so Newton's method from t = 0 climbs monotonically to the root.
    /// </summary>
    internal static double DistanceOutsideMm(Vec3 pointMm, Vec3 semiAxesMm)
    {
        double px = Math.Abs(pointMm.X), py = Math.Abs(pointMm.Y), pz = Math.Abs(pointMm.Z);
        double ax = semiAxesMm.X * semiAxesMm.X, ay = semiAxesMm.Y * semiAxesMm.Y, az = semiAxesMm.Z * semiAxesMm.Z;
        double t = 0;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            double qx = semiAxesMm.X * px / (ax + t), qy = semiAxesMm.Y * py / (ay + t), qz = semiAxesMm.Z * pz / (az + t);
            double g = qx * qx + qy * qy + qz * qz - 1;
            double slope = -2 * (qx * qx / (ax + t) + qy * qy / (ay + t) + qz * qz / (az + t));
            if (g <= 0 || slope == 0)
            {
                break;
            }

            double step = -g / slope;
            t += step;
            if (step <= 1e-12 * (t + ax))
            {
                break;
            }
        }

        double dx = px - ax * px / (ax + t), dy = py - ay * py / (ay + t), dz = pz - az * pz / (az + t);
        return Math.Sqrt(dx * dx + dy * dy + dz * dz);
    }
}
