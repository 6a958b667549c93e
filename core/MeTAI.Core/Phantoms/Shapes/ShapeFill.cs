using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms.Shapes;

/// <summary>Sets the voxels of an axis-aligned mask whose centres lie inside a shape.</summary>
internal static class ShapeFill
{
    /// <summary>Marks every voxel of <paramref name="mask"/> whose centre is inside <paramref name="shape"/>.</summary>
    public static void Fill<TShape>(VoxelMask mask, in TShape shape)
        where TShape : struct, IShape
    {
        GridGeometry g = mask.Geometry;
        if (!g.IsAxisAligned)
        {
            throw new ArgumentException("Phantom shapes fill axis-aligned grids only.", nameof(mask));
        }

        // Only voxels whose centres fall in the shape's bounding box need the inside test.
        if (!IndexRange(shape.MinLps.X, shape.MaxLps.X, g.OriginLps.X, g.SpacingMm.X, g.SizeX, out int i0, out int i1)
            || !IndexRange(shape.MinLps.Y, shape.MaxLps.Y, g.OriginLps.Y, g.SpacingMm.Y, g.SizeY, out int j0, out int j1)
            || !IndexRange(shape.MinLps.Z, shape.MaxLps.Z, g.OriginLps.Z, g.SpacingMm.Z, g.SizeZ, out int k0, out int k1))
        {
            return;
        }

        byte[] voxels = mask.Voxels;
        for (int k = k0; k <= k1; k++)
        {
            double z = g.OriginLps.Z + k * g.SpacingMm.Z;
            for (int j = j0; j <= j1; j++)
            {
                double y = g.OriginLps.Y + j * g.SpacingMm.Y;
                int row = g.Index(0, j, k);
                for (int i = i0; i <= i1; i++)
                {
                    if (shape.Contains(new Vec3(g.OriginLps.X + i * g.SpacingMm.X, y, z)))
                    {
                        voxels[row + i] = 1;
                    }
                }
            }
        }
    }

    private static bool IndexRange(double minMm, double maxMm, double originMm, double spacingMm, int size, out int first, out int last)
    {
        // One voxel of slack either side: the shape's own test decides at the edges.
        double a = Math.Floor((minMm - originMm) / spacingMm) - 1;
        double b = Math.Ceiling((maxMm - originMm) / spacingMm) + 1;
        first = a < 0 ? 0 : a > size - 1 ? size : (int)a;
        last = b > size - 1 ? size - 1 : b < 0 ? -1 : (int)b;
        return first <= last;
    }
}
