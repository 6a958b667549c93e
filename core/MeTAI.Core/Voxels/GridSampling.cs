using MeTAI.Core.Geometry;

namespace MeTAI.Core.Voxels;

/// <summary>
/// The one trilinear sampler of values on a <see cref="GridGeometry"/> (dose, HU): interpolation between voxel
/// centres, in fractional voxel indices or in LPS millimetres, and resampling of one grid onto another. Inside the hull
/// of voxel centres it interpolates; callers choose what happens beyond it (clamp to the edge, or a fill value outside
/// a margin measured in voxels).
/// </summary>
public static class GridSampling
{
    /// <summary>
    /// The value at fractional voxel index (x, y, z), trilinear between the eight surrounding voxel centres; a point
    /// outside the hull of voxel centres takes the value at the nearest point of the hull (clamped).
    /// </summary>
    public static double TrilinearClamped(GridGeometry geometry, ReadOnlySpan<float> data, double x, double y, double z)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        GridGeometry g = geometry;
        x = Math.Clamp(x, 0, g.SizeX - 1);
        y = Math.Clamp(y, 0, g.SizeY - 1);
        z = Math.Clamp(z, 0, g.SizeZ - 1);
        int i0 = Math.Min((int)x, Math.Max(g.SizeX - 2, 0)), j0 = Math.Min((int)y, Math.Max(g.SizeY - 2, 0)), k0 = Math.Min((int)z, Math.Max(g.SizeZ - 2, 0));
        int i1 = Math.Min(i0 + 1, g.SizeX - 1), j1 = Math.Min(j0 + 1, g.SizeY - 1), k1 = Math.Min(k0 + 1, g.SizeZ - 1);
        double fx = x - i0, fy = y - j0, fz = z - k0;
        double c00 = data[g.Index(i0, j0, k0)] * (1 - fx) + data[g.Index(i1, j0, k0)] * fx;
        double c10 = data[g.Index(i0, j1, k0)] * (1 - fx) + data[g.Index(i1, j1, k0)] * fx;
        double c01 = data[g.Index(i0, j0, k1)] * (1 - fx) + data[g.Index(i1, j0, k1)] * fx;
        double c11 = data[g.Index(i0, j1, k1)] * (1 - fx) + data[g.Index(i1, j1, k1)] * fx;
        return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
    }

    /// <summary>The value at an LPS point (mm), as <see cref="TrilinearClamped(GridGeometry, ReadOnlySpan{float}, double, double, double)"/>.</summary>
    public static double TrilinearClamped(GridGeometry geometry, ReadOnlySpan<float> data, Vec3 pointLps)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Vec3 c = geometry.LpsToIndex(pointLps);
        return TrilinearClamped(geometry, data, c.X, c.Y, c.Z);
    }

    /// <summary>
    /// Whether fractional index (x, y, z) lies within <paramref name="marginVoxels"/> of the hull of voxel centres
    /// (0.5: anywhere inside the grid's outer faces; ~0: only between centres).
    /// </summary>
    public static bool Within(GridGeometry geometry, double x, double y, double z, double marginVoxels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return x >= -marginVoxels && y >= -marginVoxels && z >= -marginVoxels
            && x <= geometry.SizeX - 1 + marginVoxels && y <= geometry.SizeY - 1 + marginVoxels && z <= geometry.SizeZ - 1 + marginVoxels;
    }

    /// <summary>
    /// <paramref name="source"/> interpolated at every voxel centre of <paramref name="target"/>: trilinear (clamped)
    /// within <paramref name="marginVoxels"/> of the source's voxel-centre hull, <paramref name="outside"/> beyond it.
    /// A copy when the two grids are the same.
    /// </summary>
    public static float[] Resample(VoxelGrid<float> source, GridGeometry target, double marginVoxels, float outside = 0f)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (source.Geometry.SameAs(target))
        {
            return (float[])source.Data.Clone();
        }

        GridGeometry sg = source.Geometry;
        var result = new float[target.VoxelCount];
        for (int k = 0; k < target.SizeZ; k++)
        {
            for (int j = 0; j < target.SizeY; j++)
            {
                for (int i = 0; i < target.SizeX; i++)
                {
                    Vec3 p = sg.LpsToIndex(target.IndexToLps(i, j, k));
                    result[target.Index(i, j, k)] = Within(sg, p.X, p.Y, p.Z, marginVoxels)
                        ? (float)TrilinearClamped(sg, source.Data, p.X, p.Y, p.Z)
                        : outside;
                }
            }
        }

        return result;
    }
}
