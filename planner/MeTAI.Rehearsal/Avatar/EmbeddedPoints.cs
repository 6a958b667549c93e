using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Points carried by the deforming mesh: each sits in a tet with fixed barycentric weights, so its deformed position is
/// the weighted sum of the tet's node positions. Used to follow structures finer than the mesh (a 4 mm vessel in
/// 12 mm tets), the target, and landmarks. Points just outside the smoothed surface use the nearest tet's
/// (extrapolated) weights.
/// </summary>
public sealed class EmbeddedPoints
{
    private EmbeddedPoints(Vec3[] restLps, int[] tet, float[] weights)
    {
        RestLps = restLps;
        Tet = tet;
        Weights = weights;
    }

    /// <summary>Rest positions, LPS mm.</summary>
    public Vec3[] RestLps { get; }

    /// <summary>Tet (mesh index) holding each point.</summary>
    public int[] Tet { get; }

    /// <summary>Four barycentric weights per point, for the tet's nodes in <see cref="TetMesh.Tets"/> order.</summary>
    public float[] Weights { get; }

    /// <summary>Number of points.</summary>
    public int Count => RestLps.Length;

    /// <summary>Embeds given points.</summary>
    /// <exception cref="ArgumentException">A point is nowhere near the mesh.</exception>
    public static EmbeddedPoints FromPoints(TetMesh mesh, IReadOnlyList<Vec3> pointsLps)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(pointsLps);
        var rest = new Vec3[pointsLps.Count];
        var tet = new int[rest.Length];
        var weights = new float[4 * rest.Length];
        for (int p = 0; p < rest.Length; p++)
        {
            rest[p] = pointsLps[p];
            mesh.TryLocate(rest[p], out int t, out var b);
            if (t < 0)
            {
                throw new ArgumentException($"Point {rest[p]} is not near the avatar mesh.", nameof(pointsLps));
            }

            tet[p] = t;
            weights[4 * p] = (float)b.B0;
            weights[4 * p + 1] = (float)b.B1;
            weights[4 * p + 2] = (float)b.B2;
            weights[4 * p + 3] = (float)b.B3;
        }

        return new EmbeddedPoints(rest, tet, weights);
    }

    /// <summary>
    /// Embeds the boundary voxels of <paramref name="mask"/> (inside voxels with a face-neighbour outside), thinned to
    /// about one per <paramref name="spacingMm"/> cube. Boundary points suffice for clearance: a needle that starts
    /// outside a structure must cross its boundary to enter it.
    /// </summary>
    public static EmbeddedPoints FromMaskSurface(TetMesh mesh, VoxelMask mask, double spacingMm)
    {
        ArgumentNullException.ThrowIfNull(mask);
        GridGeometry g = mask.Geometry;
        int si = Math.Max(1, (int)Math.Round(spacingMm / g.SpacingMm.X));
        int sj = Math.Max(1, (int)Math.Round(spacingMm / g.SpacingMm.Y));
        int sk = Math.Max(1, (int)Math.Round(spacingMm / g.SpacingMm.Z));
        var taken = new HashSet<long>();
        var points = new List<Vec3>();
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (!mask[i, j, k] || !IsBoundary(mask, i, j, k))
                    {
                        continue;
                    }

                    long key = ((long)(k / sk) * (g.SizeY / sj + 1) + j / sj) * (g.SizeX / si + 1) + i / si;
                    if (taken.Add(key))
                    {
                        points.Add(g.IndexToLps(i, j, k));
                    }
                }
            }
        }

        if (points.Count == 0)
        {
            throw new ArgumentException($"ROI '{mask.Name}' is empty.", nameof(mask));
        }

        return FromPoints(mesh, points);
    }

    private static bool IsBoundary(VoxelMask mask, int i, int j, int k)
    {
        GridGeometry g = mask.Geometry;
        return !Inside(mask, g, i - 1, j, k) || !Inside(mask, g, i + 1, j, k) || !Inside(mask, g, i, j - 1, k)
            || !Inside(mask, g, i, j + 1, k) || !Inside(mask, g, i, j, k - 1) || !Inside(mask, g, i, j, k + 1);
    }

    private static bool Inside(VoxelMask mask, GridGeometry g, int i, int j, int k) => g.Contains(i, j, k) && mask[i, j, k];
}
