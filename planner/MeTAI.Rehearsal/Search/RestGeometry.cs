using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Search;

/// <summary>Straight-line checks on the undeformed (rest) anatomy.</summary>
public static class RestGeometry
{
    /// <summary>True when the segment a→b passes through a voxel of <paramref name="mask"/> (sampled every half voxel).</summary>
    public static bool Crosses(VoxelMask mask, Vec3 aLps, Vec3 bLps)
    {
        ArgumentNullException.ThrowIfNull(mask);
        GridGeometry g = mask.Geometry;
        double step = 0.5 * Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        double length = Vec3.Distance(aLps, bLps);
        int samples = Math.Max(1, (int)Math.Ceiling(length / step));
        for (int s = 0; s <= samples; s++)
        {
            if (g.TryNearestVoxel(Vec3.Lerp(aLps, bLps, (double)s / samples), out int i, out int j, out int k) && mask[i, j, k])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Length of the segment a→b inside <paramref name="mask"/>, mm (sampled every half voxel).</summary>
    public static double LengthInside(VoxelMask mask, Vec3 aLps, Vec3 bLps)
    {
        ArgumentNullException.ThrowIfNull(mask);
        GridGeometry g = mask.Geometry;
        double step = 0.5 * Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        double length = Vec3.Distance(aLps, bLps);
        int samples = Math.Max(1, (int)Math.Ceiling(length / step));
        int inside = 0;
        for (int s = 0; s < samples; s++)
        {
            if (g.TryNearestVoxel(Vec3.Lerp(aLps, bLps, (s + 0.5) / samples), out int i, out int j, out int k) && mask[i, j, k])
            {
                inside++;
            }
        }

        return inside * length / samples;
    }

    /// <summary>Smallest distance from the segment a→b to any of <paramref name="pointsLps"/>, mm.</summary>
    public static double Distance(ReadOnlySpan<Vec3> pointsLps, Vec3 aLps, Vec3 bLps)
    {
        Vec3 ab = bLps - aLps;
        double inv = 1 / Math.Max(ab.LengthSquared, 1e-30);
        double best = double.PositiveInfinity;
        foreach (Vec3 p in pointsLps)
        {
            double t = Math.Clamp(Vec3.Dot(p - aLps, ab) * inv, 0, 1);
            best = Math.Min(best, (p - (aLps + ab * t)).LengthSquared);
        }

        return Math.Sqrt(best);
    }
}
