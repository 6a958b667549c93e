using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Phantoms;

/// <summary>Helpers shared by the phantom tests.</summary>
internal static class PhantomTestData
{
    public static short HuAt(Phantom phantom, Vec3 pointLps)
    {
        Assert.True(phantom.Geometry.TryNearestVoxel(pointLps, out int i, out int j, out int k), $"{pointLps} is outside the grid");
        return phantom.CtHu[i, j, k];
    }

    public static bool InsideAt(VoxelMask mask, Vec3 pointLps)
    {
        Assert.True(mask.Geometry.TryNearestVoxel(pointLps, out int i, out int j, out int k), $"{pointLps} is outside the grid");
        return mask[i, j, k];
    }

    public static void AssertVolume(Phantom phantom, string structure, double expectedCc, double relativeTolerance)
    {
        double actual = phantom.Structure(structure).VolumeCc;
        Assert.True(
            Math.Abs(actual - expectedCc) <= relativeTolerance * expectedCc,
            $"{phantom.Name}/{structure}: {actual:0.###} cm³, expected {expectedCc:0.###} cm³ ± {relativeTolerance:P1}");
    }

    public static void AssertNear(Vec3 expected, Vec3 actual, double toleranceMm)
    {
        Assert.True((expected - actual).Length <= toleranceMm, $"expected {expected}, got {actual} (tolerance {toleranceMm} mm)");
    }

    /// <summary>Centres (LPS) of all voxels inside a mask.</summary>
    public static List<Vec3> VoxelCenters(VoxelMask mask)
    {
        var list = new List<Vec3>();
        GridGeometry g = mask.Geometry;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (mask[i, j, k])
                    {
                        list.Add(g.IndexToLps(i, j, k));
                    }
                }
            }
        }

        return list;
    }

    /// <summary>Shortest distance from point p to the segment a–b.</summary>
    public static double DistanceToSegment(Vec3 p, Vec3 a, Vec3 b)
    {
        Vec3 ab = b - a;
        double t = Math.Clamp(Vec3.Dot(p - a, ab) / ab.LengthSquared, 0, 1);
        return (p - (a + ab * t)).Length;
    }

    /// <summary>True when any point sampled every 0.25 mm along a–b falls in a voxel of the mask.</summary>
    public static bool SegmentHitsMask(VoxelMask mask, Vec3 a, Vec3 b)
    {
        int steps = (int)Math.Ceiling((b - a).Length / 0.25);
        for (int n = 0; n <= steps; n++)
        {
            if (mask.Geometry.TryNearestVoxel(Vec3.Lerp(a, b, (double)n / steps), out int i, out int j, out int k) && mask[i, j, k])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Volume (mm³) of all points within <paramref name="marginMm"/> of an ellipsoid with semi-axes a, b, c, by Steiner's
    /// formula V + S·r + M·r² + 4πr³/3, with the area S and the integrated mean curvature M found by numerical
    /// integration over the ellipsoid's surface (independent of the phantom's distance computation).
    /// </summary>
    public static double ParallelBodyVolumeMm3(double a, double b, double c, double marginMm)
    {
        const int nTheta = 600, nPhi = 1200;
        double area = 0, meanCurvature = 0;
        double dTheta = Math.PI / nTheta, dPhi = 2 * Math.PI / nPhi;
        for (int it = 0; it < nTheta; it++)
        {
            double theta = (it + 0.5) * dTheta;
            for (int ip = 0; ip < nPhi; ip++)
            {
                double phi = (ip + 0.5) * dPhi;
                double st = Math.Sin(theta), ct = Math.Cos(theta), sp = Math.Sin(phi), cp = Math.Cos(phi);
                var p = new Vec3(a * st * cp, b * st * sp, c * ct);
                var dTh = new Vec3(a * ct * cp, b * ct * sp, -c * st);
                var dPh = new Vec3(-a * st * sp, b * st * cp, 0);
                double dA = Vec3.Cross(dTh, dPh).Length * dTheta * dPhi;

                // Mean curvature of the level set F = x²/a² + y²/b² + z²/c²: (|∇F|² tr H − ∇Fᵀ H ∇F) / (2 |∇F|³).
                var grad = new Vec3(2 * p.X / (a * a), 2 * p.Y / (b * b), 2 * p.Z / (c * c));
                var hess = new Vec3(2 / (a * a), 2 / (b * b), 2 / (c * c));
                double g2 = grad.LengthSquared;
                double gHg = grad.X * grad.X * hess.X + grad.Y * grad.Y * hess.Y + grad.Z * grad.Z * hess.Z;
                double h = (g2 * (hess.X + hess.Y + hess.Z) - gHg) / (2 * Math.Pow(g2, 1.5));
                area += dA;
                meanCurvature += h * dA;
            }
        }

        double r = marginMm;
        return 4.0 / 3.0 * Math.PI * a * b * c + area * r + meanCurvature * r * r + 4.0 / 3.0 * Math.PI * r * r * r;
    }
}
