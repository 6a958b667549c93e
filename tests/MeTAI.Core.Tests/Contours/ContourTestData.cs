using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Contours;

/// <summary>Shapes, masks and a brute-force reference shared by the contour tests.</summary>
internal static class ContourTestData
{
    /// <summary>A regular polygon approximating a circle in the plane spanned by <paramref name="u"/> and <paramref name="v"/>.</summary>
    public static Contour Circle(Vec3 centerLps, double radiusMm, int points, bool counterClockwise = true, Vec3? u = null, Vec3? v = null)
    {
        Vec3 a = u ?? Vec3.UnitX, b = v ?? Vec3.UnitY;
        var p = new Vec3[points];
        for (int n = 0; n < points; n++)
        {
            double t = 2 * Math.PI * n / points * (counterClockwise ? 1 : -1);
            p[n] = centerLps + a * (radiusMm * Math.Cos(t)) + b * (radiusMm * Math.Sin(t));
        }

        return new Contour(p);
    }

    /// <summary>An axis-aligned square of side <paramref name="sideMm"/> at height <paramref name="zMm"/>.</summary>
    public static Contour Square(double cx, double cy, double zMm, double sideMm)
    {
        double h = sideMm / 2;
        return new Contour([new(cx - h, cy - h, zMm), new(cx + h, cy - h, zMm), new(cx + h, cy + h, zMm), new(cx - h, cy + h, zMm)]);
    }

    /// <summary>
    /// The even-odd rule evaluated per voxel centre, PNPOLY style (a crossing counts when it lies strictly right of
    /// the centre), over all <paramref name="contours"/> whose plane contains slice k's centres. Slow and obvious.
    /// </summary>
    public static bool[] BruteForceSlice(IReadOnlyList<Contour> contours, GridGeometry g, int k)
    {
        var inside = new bool[g.SizeX * g.SizeY];
        foreach (Contour c in contours)
        {
            var ij = new (double I, double J)[c.Count];
            for (int n = 0; n < c.Count; n++)
            {
                Vec3 idx = g.LpsToIndex(c.PointsLps[n]);
                ij[n] = (idx.X, idx.Y);
            }

            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    bool odd = false;
                    for (int a = 0, b = ij.Length - 1; a < ij.Length; b = a++)
                    {
                        if ((ij[a].J > j) != (ij[b].J > j)
                            && i < ij[b].I + (j - ij[b].J) * (ij[a].I - ij[b].I) / (ij[a].J - ij[b].J))
                        {
                            odd = !odd;
                        }
                    }

                    if (odd)
                    {
                        inside[i + g.SizeX * j] ^= true;
                    }
                }
            }
        }

        return inside;
    }

    /// <summary>Random blobby mask: seeded noise, smoothed by a few majority-vote passes so it has real blobs and holes.</summary>
    public static VoxelMask RandomBlobs(GridGeometry g, int seed, double density, int smoothingPasses)
    {
        var random = new Random(seed);
        var mask = new VoxelMask("blobs", g);
        for (int n = 0; n < mask.Voxels.Length; n++)
        {
            mask.Voxels[n] = random.NextDouble() < density ? (byte)1 : (byte)0;
        }

        for (int pass = 0; pass < smoothingPasses; pass++)
        {
            var next = new byte[mask.Voxels.Length];
            for (int k = 0; k < g.SizeZ; k++)
            {
                for (int j = 0; j < g.SizeY; j++)
                {
                    for (int i = 0; i < g.SizeX; i++)
                    {
                        int votes = 0, total = 0;
                        for (int dj = -1; dj <= 1; dj++)
                        {
                            for (int di = -1; di <= 1; di++)
                            {
                                if (g.Contains(i + di, j + dj, k))
                                {
                                    votes += mask[i + di, j + dj, k] ? 1 : 0;
                                    total++;
                                }
                            }
                        }

                        next[g.Index(i, j, k)] = 2 * votes > total ? (byte)1 : (byte)0;
                    }
                }
            }

            Array.Copy(next, mask.Voxels, next.Length);
        }

        return mask;
    }

    /// <summary>Signed area (mm²) of a contour in the grid's (i, j) plane: positive when counter-clockwise.</summary>
    public static double SignedAreaInGridMm2(Contour c, GridGeometry g)
    {
        double sum = 0;
        for (int a = 0, b = c.Count - 1; a < c.Count; b = a++)
        {
            Vec3 p = g.LpsToIndex(c.PointsLps[b]), q = g.LpsToIndex(c.PointsLps[a]);
            sum += p.X * q.Y - q.X * p.Y;
        }

        return sum / 2 * g.SpacingMm.X * g.SpacingMm.Y;
    }

    /// <summary>Index of the first voxel where two masks differ, or −1.</summary>
    public static int FirstDifference(VoxelMask a, VoxelMask b)
    {
        for (int n = 0; n < a.Voxels.Length; n++)
        {
            if ((a.Voxels[n] != 0) != (b.Voxels[n] != 0))
            {
                return n;
            }
        }

        return -1;
    }
}
