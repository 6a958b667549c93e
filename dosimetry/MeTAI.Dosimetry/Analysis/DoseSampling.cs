using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dosimetry.Analysis;

/// <summary>Ray geometry on dose grids (point sampling itself is <see cref="GridSampling"/>).</summary>
public static class DoseSampling
{
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
