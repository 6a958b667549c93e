using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The surface where a scalar field on a voxel grid crosses a level (an isodose surface of a dose grid), by marching
/// tetrahedra: every cube of the lattice of voxel centres is cut into the six tetrahedra around its main diagonal (the
/// same cut in every cube, so neighbouring cubes' faces match), and within each tetrahedron the field is linear. A
/// vertex lies on each lattice edge whose ends straddle the level (linear interpolation along the edge), shared by every
/// tetrahedron that has that edge, so the surface is closed; the lattice is padded with one layer of zeros so that a
/// region reaching the grid's edge is closed there too. Triangles are wound counter-clockwise seen from the low side
/// (outward around the region at or above the level). A grid larger than <c>maxSide</c> voxels along an axis is
/// sampled every n-th voxel (the values of the voxels kept, not averaged).
/// </summary>
public static class Isosurface
{
    // The six tetrahedra of a cube around its diagonal 0 → 7, as corner numbers (bit 0: +i, bit 1: +j, bit 2: +k).
    private static readonly int[][] Tets =
    [
        [0, 1, 3, 7], [0, 1, 5, 7], [0, 2, 3, 7], [0, 2, 6, 7], [0, 4, 5, 7], [0, 4, 6, 7],
    ];

    /// <summary>The surface of <c>{x : field(x) ≥ level}</c>; <paramref name="level"/> must be positive (the padding is 0).</summary>
    /// <param name="geometry">The grid of <paramref name="values"/> (voxel (i, j, k) at index i + nx·(j + ny·k)).</param>
    /// <param name="values">The field, one value per voxel; NaN counts as 0.</param>
    /// <param name="level">The level, in the field's units (&gt; 0).</param>
    /// <param name="maxSide">Largest number of lattice points used per axis (a larger grid is sampled every n-th voxel).</param>
    /// <returns>The surface and the sampling stride used along each axis.</returns>
    public static (TriangleSurface Surface, int Stride) Extract(GridGeometry geometry, ReadOnlySpan<float> values, double level, int maxSide = 160)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (!(level > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be positive (the grid is padded with zeros).");
        }

        if (values.Length != geometry.VoxelCount)
        {
            throw new ArgumentException($"{values.Length} values for a grid of {geometry.VoxelCount} voxels.", nameof(values));
        }

        int largest = Math.Max(geometry.SizeX, Math.Max(geometry.SizeY, geometry.SizeZ));
        int stride = Math.Max(1, (largest + maxSide - 1) / Math.Max(1, maxSide));

        // The sampled lattice with one layer of zeros around it: lattice point (a, b, c) is voxel ((a-1)·s, (b-1)·s, (c-1)·s).
        int nx = ((geometry.SizeX - 1) / stride) + 3, ny = ((geometry.SizeY - 1) / stride) + 3, nz = ((geometry.SizeZ - 1) / stride) + 3;
        float[] lattice = new float[nx * ny * nz];
        for (int c = 1; c < nz - 1; c++)
        {
            for (int b = 1; b < ny - 1; b++)
            {
                for (int a = 1; a < nx - 1; a++)
                {
                    float v = values[geometry.Index((a - 1) * stride, (b - 1) * stride, (c - 1) * stride)];
                    lattice[a + (nx * (b + (ny * c)))] = float.IsNaN(v) ? 0f : v;
                }
            }
        }

        // Index space → LPS may mirror (a left-handed direction matrix): then the winding flips with it.
        Vec3 o = geometry.IndexToLps(0, 0, 0);
        bool mirrored = Mat3.FromColumns(geometry.IndexToLps(1, 0, 0) - o, geometry.IndexToLps(0, 1, 0) - o, geometry.IndexToLps(0, 0, 1) - o).Determinant < 0;
        var builder = new Builder(geometry, lattice, nx, ny, stride, level, mirrored);
        int[] corner = new int[8];
        for (int c = 0; c < nz - 1; c++)
        {
            for (int b = 0; b < ny - 1; b++)
            {
                for (int a = 0; a < nx - 1; a++)
                {
                    int above = 0;
                    for (int q = 0; q < 8; q++)
                    {
                        corner[q] = (a + (q & 1)) + (nx * ((b + ((q >> 1) & 1)) + (ny * (c + ((q >> 2) & 1)))));
                        above += lattice[corner[q]] >= level ? 1 : 0;
                    }

                    if (above is 0 or 8)
                    {
                        continue;
                    }

                    foreach (int[] tet in Tets)
                    {
                        builder.Tetrahedron(corner[tet[0]], corner[tet[1]], corner[tet[2]], corner[tet[3]]);
                    }
                }
            }
        }

        return (new TriangleSurface([.. builder.Positions], [.. builder.Indices]), stride);
    }

    private sealed class Builder(GridGeometry geometry, float[] lattice, int nx, int ny, int stride, double level, bool mirrored)
    {
        private readonly Dictionary<long, int> _vertexOfEdge = [];
        private readonly long _count = lattice.Length;

        public List<double> Positions { get; } = [];

        public List<int> Indices { get; } = [];

        public void Tetrahedron(int p0, int p1, int p2, int p3)
        {
            Span<int> inside = stackalloc int[4];
            Span<int> outside = stackalloc int[4];
            int nIn = 0, nOut = 0;
            ReadOnlySpan<int> corners = [p0, p1, p2, p3];
            foreach (int p in corners)
            {
                if (lattice[p] >= level)
                {
                    inside[nIn++] = p;
                }
                else
                {
                    outside[nOut++] = p;
                }
            }

            switch (nIn)
            {
                case 1:
                    Triangle((inside[0], outside[0]), (inside[0], outside[1]), (inside[0], outside[2]), inside[..1], outside[..3]);
                    break;
                case 3:
                    Triangle((inside[0], outside[0]), (inside[1], outside[0]), (inside[2], outside[0]), inside[..3], outside[..1]);
                    break;
                case 2:
                    // The crossing is a quadrilateral on edges p·r, p·s, q·s, q·r (a cycle: neighbours share a corner).
                    (int, int) pr = (inside[0], outside[0]), ps = (inside[0], outside[1]), qs = (inside[1], outside[1]), qr = (inside[1], outside[0]);
                    Triangle(pr, ps, qs, inside[..2], outside[..2]);
                    Triangle(pr, qs, qr, inside[..2], outside[..2]);
                    break;
            }
        }

        // One triangle on three straddling edges, wound so that its normal points from the inside corners to the outside
        // ones. The test uses the edges' midpoints, which never coincide, so a vertex interpolated onto a corner (a value
        // exactly at the level) cannot flip it.
        private void Triangle((int In, int Out) e0, (int In, int Out) e1, (int In, int Out) e2, ReadOnlySpan<int> inside, ReadOnlySpan<int> outside)
        {
            Vec3 m0 = Mid(e0), m1 = Mid(e1), m2 = Mid(e2);
            Vec3 towardsOut = Centroid(outside) - Centroid(inside);
            bool forward = Vec3.Dot(Vec3.Cross(m1 - m0, m2 - m0), towardsOut) > 0;
            int a = Vertex(e0), b = Vertex(e1), c = Vertex(e2);
            if (forward != mirrored)
            {
                Indices.AddRange([a, b, c]);
            }
            else
            {
                Indices.AddRange([a, c, b]);
            }
        }

        private int Vertex((int In, int Out) edge)
        {
            long key = (Math.Min(edge.In, edge.Out) * _count) + Math.Max(edge.In, edge.Out);
            if (_vertexOfEdge.TryGetValue(key, out int index))
            {
                return index;
            }

            double fIn = lattice[edge.In], fOut = lattice[edge.Out];
            double t = (fIn - level) / (fIn - fOut); // 0 at the inside end, < 1 since fOut < level ≤ fIn
            Vec3 pIn = Lattice(edge.In), pOut = Lattice(edge.Out);
            Vec3 p = pIn + ((pOut - pIn) * t);
            Vec3 lps = geometry.IndexToLps((p.X - 1) * stride, (p.Y - 1) * stride, (p.Z - 1) * stride);
            index = Positions.Count / 3;
            _vertexOfEdge[key] = index;
            Positions.Add(Math.Round(lps.X, 2));
            Positions.Add(Math.Round(lps.Y, 2));
            Positions.Add(Math.Round(lps.Z, 2));
            return index;
        }

        private Vec3 Mid((int In, int Out) edge) => (Lattice(edge.In) + Lattice(edge.Out)) * 0.5;

        private Vec3 Centroid(ReadOnlySpan<int> points)
        {
            Vec3 sum = Vec3.Zero;
            foreach (int p in points)
            {
                sum += Lattice(p);
            }

            return sum * (1.0 / points.Length);
        }

        private Vec3 Lattice(int p) => new(p % nx, (p / nx) % ny, p / (nx * ny));
    }
}
