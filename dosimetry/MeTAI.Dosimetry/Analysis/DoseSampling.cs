using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dosimetry.Analysis;

/// <summary>Point sampling of dose grids (trilinear between voxel centres, clamped at the grid edge).</summary>
public static class DoseSampling
{
    /// <summary>Dose at an LPS point (mm) by trilinear interpolation of voxel-centre values.</summary>
    public static double Trilinear(GridGeometry geometry, ReadOnlySpan<float> data, Vec3 pointLps)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Vec3 c = geometry.LpsToIndex(pointLps);
        double x = Math.Clamp(c.X, 0, geometry.SizeX - 1), y = Math.Clamp(c.Y, 0, geometry.SizeY - 1), z = Math.Clamp(c.Z, 0, geometry.SizeZ - 1);
        int i0 = Math.Min((int)x, Math.Max(geometry.SizeX - 2, 0)), j0 = Math.Min((int)y, Math.Max(geometry.SizeY - 2, 0)), k0 = Math.Min((int)z, Math.Max(geometry.SizeZ - 2, 0));
        int i1 = Math.Min(i0 + 1, geometry.SizeX - 1), j1 = Math.Min(j0 + 1, geometry.SizeY - 1), k1 = Math.Min(k0 + 1, geometry.SizeZ - 1);
        double fx = x - i0, fy = y - j0, fz = z - k0;
        GridGeometry g = geometry;
        double c00 = data[g.Index(i0, j0, k0)] * (1 - fx) + data[g.Index(i1, j0, k0)] * fx;
        double c10 = data[g.Index(i0, j1, k0)] * (1 - fx) + data[g.Index(i1, j1, k0)] * fx;
        double c01 = data[g.Index(i0, j0, k1)] * (1 - fx) + data[g.Index(i1, j0, k1)] * fx;
        double c11 = data[g.Index(i0, j1, k1)] * (1 - fx) + data[g.Index(i1, j1, k1)] * fx;
        return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
    }

    /// <summary>Where a ray from <paramref name="originLps"/> along <paramref name="directionLps"/> first enters the grid, or null.</summary>
    public static Vec3? EntryPoint(GridGeometry geometry, Vec3 originLps, Vec3 directionLps)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Mat3 toLocal = geometry.Direction.Transposed();
        Vec3 corner = geometry.OriginLps - geometry.Direction * (geometry.SpacingMm * 0.5);
        Vec3 o = toLocal * (originLps - corner), d = toLocal * directionLps.Normalized();
        Vec3 size = geometry.ExtentMm;
        double t0 = double.NegativeInfinity, t1 = double.PositiveInfinity;
        for (int a = 0; a < 3; a++)
        {
            if (Math.Abs(d[a]) < 1e-12)
            {
                if (o[a] < 0 || o[a] > size[a])
                {
                    return null;
                }

                continue;
            }

            double ta = (0 - o[a]) / d[a], tb = (size[a] - o[a]) / d[a];
            t0 = Math.Max(t0, Math.Min(ta, tb));
            t1 = Math.Min(t1, Math.Max(ta, tb));
        }

        if (t1 <= t0 || t1 < 0)
        {
            return null;
        }

        return originLps + directionLps.Normalized() * Math.Max(t0, 0);
    }
}
