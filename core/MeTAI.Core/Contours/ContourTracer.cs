using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Contours;

/// <summary>
/// Turns a <see cref="VoxelMask"/> back into closed planar contours, one set per k-slice, by walking the voxel edges
/// that separate inside from outside. Polygon corners sit on voxel corners and collinear points are merged, so a
/// rectangle of voxels gives four points. Rasterising the result with <see cref="ContourRasterizer"/> on the same grid
/// (with the grid's k spacing as plane spacing) reproduces the mask exactly.
/// <para>
/// Orientation, in the grid's (i, j) plane with i to the right and j up: outer boundaries run counter-clockwise and
/// holes clockwise (the inside is always on the left). Connectivity: the inside is taken as 4-connected and the
/// outside as 8-connected, so voxels that touch only at a corner become separate contours, holes that touch only at a
/// corner become one hole, and no contour ever touches itself or another.
/// </para>
/// </summary>
public static class ContourTracer
{
    // Directions of travel along voxel edges, counter-clockwise: E (+i), N (+j), W (−i), S (−j).
    private const int East = 0, North = 1, West = 2, South = 3;

    /// <summary>Traces every slice of <paramref name="mask"/>; contours come slice by slice, k ascending.</summary>
    /// <param name="mask">The mask to trace.</param>
    /// <returns>All contours, in LPS mm; none for an empty mask.</returns>
    public static IReadOnlyList<Contour> Trace(VoxelMask mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var contours = new List<Contour>();
        var tracer = new SliceTracer(mask.Geometry);
        for (int k = 0; k < mask.Geometry.SizeZ; k++)
        {
            tracer.Trace(mask, k, contours);
        }

        return contours;
    }

    /// <summary>Traces slice <paramref name="k"/> of <paramref name="mask"/>.</summary>
    /// <param name="mask">The mask to trace.</param>
    /// <param name="k">Slice index, 0 ≤ k &lt; SizeZ.</param>
    /// <returns>The slice's contours, in LPS mm, all in the plane of slice k's voxel centres.</returns>
    public static IReadOnlyList<Contour> TraceSlice(VoxelMask mask, int k)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, mask.Geometry.SizeZ);
        var contours = new List<Contour>();
        new SliceTracer(mask.Geometry).Trace(mask, k, contours);
        return contours;
    }

    /// <summary>Per-slice working memory: the directed boundary edges leaving every voxel corner.</summary>
    private sealed class SliceTracer(GridGeometry geometry)
    {
        private readonly int _cornersX = geometry.SizeX + 1;

        // Bit d set: a boundary edge leaves this corner in direction d. Corner (ci, cj) is the voxel corner at
        // continuous index (ci − ½, cj − ½), stored at ci + (SizeX + 1)·cj.
        private readonly byte[] _out = new byte[(geometry.SizeX + 1) * (geometry.SizeY + 1)];
        private readonly byte[] _used = new byte[(geometry.SizeX + 1) * (geometry.SizeY + 1)];
        private readonly List<int> _vertices = [];

        public void Trace(VoxelMask mask, int k, List<Contour> contours)
        {
            int sizeX = geometry.SizeX, sizeY = geometry.SizeY;
            ReadOnlySpan<byte> slice = mask.Voxels.AsSpan(k * sizeX * sizeY, sizeX * sizeY);
            if (!slice.ContainsAnyExcept((byte)0))
            {
                return;
            }

            BuildEdges(slice, sizeX, sizeY);
            Array.Clear(_used);
            for (int corner = 0; corner < _out.Length; corner++)
            {
                int free;
                while ((free = _out[corner] & ~_used[corner]) != 0)
                {
                    int d0 = System.Numerics.BitOperations.TrailingZeroCount(free);
                    WalkLoop(corner, d0);
                    contours.Add(ToContour(k));
                }
            }
        }

        /// <summary>
        /// Every inside voxel contributes the sides it shares with outside voxels (or the grid border), directed so
        /// that the voxel lies on their left: bottom side eastward, right side northward, top westward, left southward.
        /// </summary>
        private void BuildEdges(ReadOnlySpan<byte> slice, int sizeX, int sizeY)
        {
            Array.Clear(_out);
            int cx = _cornersX;
            for (int j = 0; j < sizeY; j++)
            {
                int row = j * sizeX;
                for (int i = 0; i < sizeX; i++)
                {
                    if (slice[row + i] == 0)
                    {
                        continue;
                    }

                    if (j == 0 || slice[row - sizeX + i] == 0)
                    {
                        _out[i + cx * j] |= 1 << East;
                    }

                    if (i == sizeX - 1 || slice[row + i + 1] == 0)
                    {
                        _out[i + 1 + cx * j] |= 1 << North;
                    }

                    if (j == sizeY - 1 || slice[row + sizeX + i] == 0)
                    {
                        _out[i + 1 + cx * (j + 1)] |= 1 << West;
                    }

                    if (i == 0 || slice[row + i - 1] == 0)
                    {
                        _out[i + cx * (j + 1)] |= 1 << South;
                    }
                }
            }
        }

        /// <summary>
        /// Follows boundary edges from <paramref name="start"/> leaving in direction <paramref name="d0"/> until the
        /// walk would leave the start the same way again, recording the corners where the direction changes.
        /// </summary>
        private void WalkLoop(int start, int d0)
        {
            _vertices.Clear();
            _vertices.Add(start);
            int corner = start, d = d0;
            while (true)
            {
                Debug.Assert((_used[corner] & (1 << d)) == 0, "Boundary edge walked twice.");
                _used[corner] |= (byte)(1 << d);
                corner += d switch
                {
                    East => 1,
                    North => _cornersX,
                    West => -1,
                    _ => -_cornersX,
                };
                int next = NextDirection(_out[corner], d);
                if (corner == start && next == d0)
                {
                    if (next == d)
                    {
                        // The walk passes straight through the start: it is not a corner of the polygon.
                        _vertices.RemoveAt(0);
                    }

                    return;
                }

                if (next != d)
                {
                    _vertices.Add(corner);
                }

                d = next;
            }
        }

        /// <summary>
        /// The edge to leave a corner by, arriving in direction <paramref name="d"/>: a left turn if one leaves there,
        /// else straight on, else a right turn. Only a saddle corner (two inside voxels touching diagonally) offers a
        /// choice; turning left keeps to the same inside voxel, which makes the inside 4-connected. This pairing of
        /// arriving and leaving edges is fixed by the mask alone, so the loops do not depend on where a walk starts.
        /// </summary>
        private static int NextDirection(int outBits, int d)
        {
            int left = (d + 1) & 3, right = (d + 3) & 3;
            if ((outBits & (1 << left)) != 0)
            {
                return left;
            }

            if ((outBits & (1 << d)) != 0)
            {
                return d;
            }

            Debug.Assert((outBits & (1 << right)) != 0, "Boundary walk hit a dead end.");
            return right;
        }

        private Contour ToContour(int k)
        {
            var points = new Vec3[_vertices.Count];
            for (int n = 0; n < points.Length; n++)
            {
                int corner = _vertices[n];
                int ci = corner % _cornersX, cj = corner / _cornersX;
                points[n] = geometry.IndexToLps(ci - 0.5, cj - 0.5, k);
            }

            return new Contour(points);
        }
    }
}
