using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Dose;

/// <summary>Where a beam axis through the middle of a CT enters the body (the first voxel above <see cref="BodyOutline.ThresholdHu"/>).</summary>
internal static class BodySurface
{
    /// <summary>
    /// The entrance face of the first tissue voxel met walking along <paramref name="axisLps"/> through the centre of
    /// <paramref name="ctHu"/>'s grid (in steps of 0.25 mm), or null when the axis meets none.
    /// </summary>
    public static Vec3? Entrance(VoxelGrid<short> ctHu, Vec3 axisLps)
    {
        GridGeometry g = ctHu.Geometry;
        Vec3 center = Center(ctHu);
        double half = g.ExtentMm.Length;
        for (double t = -half; t <= half; t += 0.25)
        {
            Vec3 p = center + axisLps * t;
            if (g.TryNearestVoxel(p, out int i, out int j, out int k) && ctHu[i, j, k] > BodyOutline.ThresholdHu)
            {
                // Step back to the voxel's entrance face.
                return center + axisLps * (t - 0.125);
            }
        }

        return null;
    }

    /// <summary>The centre of <paramref name="ctHu"/>'s grid, LPS mm.</summary>
    public static Vec3 Center(VoxelGrid<short> ctHu)
    {
        GridGeometry g = ctHu.Geometry;
        return g.IndexToLps((g.SizeX - 1) / 2.0, (g.SizeY - 1) / 2.0, (g.SizeZ - 1) / 2.0);
    }
}
