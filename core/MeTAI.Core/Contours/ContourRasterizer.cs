using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Contours;

/// <summary>
/// Turns the closed planar contours of one ROI into a <see cref="VoxelMask"/> on any <see cref="GridGeometry"/>.
/// <list type="bullet">
/// <item>The contours must be perpendicular to the grid's k axis (axial contours on an axial grid, or oblique ones on a
/// grid with the same oblique slice normal); otherwise <see cref="ArgumentException"/> says which contour is tilted.</item>
/// <item>In a contour plane, a voxel is inside when its centre is inside by the even-odd rule over all contours of that
/// plane, computed exactly in continuous in-plane coordinates: holes and disjoint islands work, vertices are never
/// rounded to voxels. A centre exactly on an edge follows the usual half-open convention (inside on the left/lower
/// edge of a span, outside on its right/upper edge).</item>
/// <item>Each contour plane stands for a slab of the local contour-plane spacing: from half the gap to the plane
/// below to half the gap to the plane above, "below" meaning towards lower k. Slabs are half-open with the lower face
/// included, so a slice exactly midway between two planes takes the one further along k, and a structure keeps its
/// total thickness on any grid. A grid slice takes the plane whose slab holds its centre: slices between contour
/// planes use the nearest plane, and a structure reaches no more than half a plane spacing beyond its first and last
/// contour.</item>
/// </list>
/// The scanline fill touches each voxel at most once per slice and allocates per plane, never per voxel.
/// </summary>
public static class ContourRasterizer
{
    /// <summary>
    /// How far (mm, along the grid's k axis) the points of one contour may stray from their common plane, and how close
    /// two contours must be to share a plane.
    /// </summary>
    public const double PlaneToleranceMm = 0.05;

    // Slab faces are compared with this slack so that a slice centre lying on a face (up to rounding) goes to exactly
    // one of the two planes that share the face.
    private const double FaceSlackMm = 1e-6;

    /// <summary>Rasterises one ROI's contours onto <paramref name="geometry"/>.</summary>
    /// <param name="name">Name of the resulting mask (the ROI name).</param>
    /// <param name="contours">All closed planar contours of the ROI, on any number of planes, in any order.</param>
    /// <param name="geometry">Target grid; its k axis must be normal to every contour.</param>
    /// <param name="planeSpacingMm">
    /// Thickness of one contour plane (usually the CT slice spacing the contours were drawn on). When given, each plane
    /// covers up to half of it on either side, capped at half the gap to the neighbouring plane. When null, a plane's
    /// local spacing is the smaller of the gaps to its neighbours (the one gap for the first and last plane, and the
    /// grid's k spacing when the ROI has a single plane). Pass it when an ROI has isolated planes separated by more
    /// than one spacing (two lesions on different slices), which the gaps alone cannot tell from thick slices.
    /// </param>
    /// <returns>The mask; empty when <paramref name="contours"/> is empty.</returns>
    public static VoxelMask Rasterize(string name, IReadOnlyList<Contour> contours, GridGeometry geometry, double? planeSpacingMm = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(contours);
        ArgumentNullException.ThrowIfNull(geometry);
        if (planeSpacingMm is { } given && !(given > 0 && double.IsFinite(given)))
        {
            throw new ArgumentOutOfRangeException(nameof(planeSpacingMm), given, "Plane spacing must be a positive finite number of mm.");
        }

        var mask = new VoxelMask(name, geometry);
        if (contours.Count == 0)
        {
            return mask;
        }

        ProjectedContours projected = Project(contours, geometry);
        Planes planes = GroupIntoPlanes(projected);
        int[] planeOfSlice = AssignSlices(planes, geometry, planeSpacingMm);

        var scan = new ScanlineBuffers(geometry.SizeY);
        for (int p = 0; p < planes.Count; p++)
        {
            if (Array.IndexOf(planeOfSlice, p) < 0)
            {
                continue;
            }

            scan.Build(projected, planes.ContourOrder, planes.Start[p], planes.Start[p + 1], geometry.SizeY);
            for (int k = 0; k < geometry.SizeZ; k++)
            {
                if (planeOfSlice[k] == p)
                {
                    scan.Fill(mask.Voxels, geometry, k);
                }
            }
        }

        return mask;
    }

    /// <summary>Every contour's vertices in continuous (i, j) index coordinates, and its plane position along k (mm).</summary>
    private static ProjectedContours Project(IReadOnlyList<Contour> contours, GridGeometry geometry)
    {
        int total = 0;
        for (int c = 0; c < contours.Count; c++)
        {
            ArgumentNullException.ThrowIfNull(contours[c], $"{nameof(contours)}[{c}]");
            total += contours[c].Count;
        }

        var result = new ProjectedContours(contours.Count, total);
        Mat3 toLocal = geometry.Direction.Transposed();
        Vec3 spacing = geometry.SpacingMm;
        Vec3 kAxis = geometry.Direction.Column(2);
        int offset = 0;
        for (int c = 0; c < contours.Count; c++)
        {
            ReadOnlySpan<Vec3> points = contours[c].AsSpan();
            result.Start[c] = offset;
            double wMin = double.PositiveInfinity, wMax = double.NegativeInfinity, wSum = 0;
            for (int n = 0; n < points.Length; n++)
            {
                Vec3 local = toLocal * (points[n] - geometry.OriginLps);
                result.I[offset + n] = local.X / spacing.X;
                result.J[offset + n] = local.Y / spacing.Y;
                wMin = Math.Min(wMin, local.Z);
                wMax = Math.Max(wMax, local.Z);
                wSum += local.Z;
            }

            if (wMax - wMin > PlaneToleranceMm)
            {
                throw new ArgumentException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Contour {c} is not perpendicular to the grid's k axis {kAxis}: its points spread {wMax - wMin:0.###} mm along k " +
                    $"(tolerance {PlaneToleranceMm} mm). Rasterise it on a grid whose slices are parallel to the contour planes."),
                    nameof(contours));
            }

            result.W[c] = wSum / points.Length;
            offset += points.Length;
        }

        result.Start[contours.Count] = offset;
        return result;
    }

    /// <summary>Sorts contours by plane position and merges those within <see cref="PlaneToleranceMm"/> into one plane.</summary>
    private static Planes GroupIntoPlanes(ProjectedContours projected)
    {
        int count = projected.W.Length;
        int[] order = new int[count];
        double[] keys = (double[])projected.W.Clone();
        for (int c = 0; c < count; c++)
        {
            order[c] = c;
        }

        Array.Sort(keys, order);
        var starts = new List<int>();
        var positions = new List<double>();
        int first = 0;
        for (int n = 1; n <= count; n++)
        {
            if (n == count || keys[n] - keys[first] > PlaneToleranceMm)
            {
                double sum = 0;
                for (int m = first; m < n; m++)
                {
                    sum += keys[m];
                }

                starts.Add(first);
                positions.Add(sum / (n - first));
                first = n;
            }
        }

        starts.Add(count);
        return new Planes(order, [.. starts], [.. positions]);
    }

    /// <summary>For every grid slice, the index of the plane whose slab holds its centre, or −1.</summary>
    private static int[] AssignSlices(Planes planes, GridGeometry geometry, double? planeSpacingMm)
    {
        int[] planeOfSlice = new int[geometry.SizeZ];
        Array.Fill(planeOfSlice, -1);
        double sliceMm = geometry.SpacingMm.Z;
        double[] w = planes.PositionMm;
        for (int p = 0; p < planes.Count; p++)
        {
            double gapBelow = p > 0 ? w[p] - w[p - 1] : double.PositiveInfinity;
            double gapAbove = p + 1 < planes.Count ? w[p + 1] - w[p] : double.PositiveInfinity;
            double thickness = planeSpacingMm ?? (planes.Count == 1 ? sliceMm : Math.Min(gapBelow, gapAbove));
            double below = Math.Min(thickness, gapBelow) / 2;
            double above = Math.Min(thickness, gapAbove) / 2;

            // Only slices near the slab need checking (clamped as doubles: a far-away plane must not overflow int).
            double kLoD = Math.Floor((w[p] - below) / sliceMm) - 1;
            double kHiD = Math.Ceiling((w[p] + above) / sliceMm) + 1;
            if (kLoD > geometry.SizeZ - 1 || kHiD < 0)
            {
                continue;
            }

            int kLo = kLoD < 0 ? 0 : (int)kLoD;
            int kHi = kHiD > geometry.SizeZ - 1 ? geometry.SizeZ - 1 : (int)kHiD;
            for (int k = kLo; k <= kHi; k++)
            {
                double d = k * sliceMm - w[p];
                if (d >= -below - FaceSlackMm && d < above - FaceSlackMm)
                {
                    planeOfSlice[k] = p;
                }
            }
        }

        return planeOfSlice;
    }

    /// <summary>Contours in index coordinates, flattened: contour c owns vertices Start[c] .. Start[c+1]−1.</summary>
    private sealed class ProjectedContours(int contourCount, int pointCount)
    {
        public double[] I { get; } = new double[pointCount];

        public double[] J { get; } = new double[pointCount];

        public int[] Start { get; } = new int[contourCount + 1];

        public double[] W { get; } = new double[contourCount];
    }

    /// <summary>Contour planes sorted along k: plane p holds ContourOrder[Start[p] .. Start[p+1]−1].</summary>
    private sealed class Planes(int[] contourOrder, int[] start, double[] positionMm)
    {
        public int[] ContourOrder { get; } = contourOrder;

        public int[] Start { get; } = start;

        public double[] PositionMm { get; } = positionMm;

        public int Count => PositionMm.Length;
    }

    /// <summary>
    /// Edge crossings of one plane's contours with every grid row (j = integer), bucketed by row and sorted, reused
    /// from plane to plane.
    /// </summary>
    private sealed class ScanlineBuffers(int rows)
    {
        private readonly int[] _rowStart = new int[rows + 1];
        private readonly int[] _cursor = new int[rows + 1];
        private double[] _crossings = new double[64];

        public void Build(ProjectedContours contours, int[] order, int firstContour, int endContour, int sizeY)
        {
            // Pass 1: a difference array of how many edges cross each row, O(1) per edge.
            Array.Clear(_cursor);
            for (int n = firstContour; n < endContour; n++)
            {
                int c = order[n];
                ForEachEdgeRowRange(contours, c, sizeY, _cursor, null);
            }

            _rowStart[0] = 0;
            int running = 0;
            for (int j = 0; j < sizeY; j++)
            {
                running += _cursor[j];
                _rowStart[j + 1] = _rowStart[j] + running;
            }

            int total = _rowStart[sizeY];
            if (_crossings.Length < total)
            {
                _crossings = new double[Math.Max(total, _crossings.Length * 2)];
            }

            // Pass 2: the crossings themselves, written at each row's cursor.
            Array.Copy(_rowStart, _cursor, sizeY + 1);
            for (int n = firstContour; n < endContour; n++)
            {
                ForEachEdgeRowRange(contours, order[n], sizeY, _cursor, _crossings);
            }

            for (int j = 0; j < sizeY; j++)
            {
                int count = _rowStart[j + 1] - _rowStart[j];
                if (count > 1)
                {
                    _crossings.AsSpan(_rowStart[j], count).Sort();
                }
            }
        }

        public void Fill(byte[] voxels, GridGeometry geometry, int k)
        {
            int sizeX = geometry.SizeX;
            for (int j = 0; j < geometry.SizeY; j++)
            {
                int start = _rowStart[j], end = _rowStart[j + 1];
                int row = geometry.Index(0, j, k);

                // Sorted crossings pair up into inside spans [a, b): a centre i is inside when a <= i < b, which is
                // the even-odd rule with the crossings strictly right of the centre counted (as in PNPOLY).
                for (int n = start; n + 1 < end; n += 2)
                {
                    double first = Math.Ceiling(_crossings[n]);
                    double last = Math.Ceiling(_crossings[n + 1]) - 1;
                    if (first > sizeX - 1 || last < 0 || last < first)
                    {
                        continue;
                    }

                    int i0 = first < 0 ? 0 : (int)first;
                    int i1 = last > sizeX - 1 ? sizeX - 1 : (int)last;
                    voxels.AsSpan(row + i0, i1 - i0 + 1).Fill(1);
                }
            }
        }

        /// <summary>
        /// Walks the edges of contour <paramref name="c"/>. An edge crosses row j when j lies in [min y, max y) of the
        /// edge (half-open, so a vertex on a row counts once and horizontal edges never). With
        /// <paramref name="crossings"/> null it marks the row range in the difference array <paramref name="cursor"/>;
        /// otherwise it writes the crossing abscissae at each row's cursor.
        /// </summary>
        private static void ForEachEdgeRowRange(ProjectedContours contours, int c, int sizeY, int[] cursor, double[]? crossings)
        {
            double[] xs = contours.I, ys = contours.J;
            int first = contours.Start[c], end = contours.Start[c + 1];
            int prev = end - 1;
            for (int n = first; n < end; prev = n, n++)
            {
                double x0 = xs[prev], y0 = ys[prev], x1 = xs[n], y1 = ys[n];
                if (y0 == y1)
                {
                    continue;
                }

                double yLo = Math.Min(y0, y1), yHi = Math.Max(y0, y1);
                double jFirst = Math.Ceiling(yLo);
                double jLast = Math.Ceiling(yHi) - 1;
                if (jFirst > sizeY - 1 || jLast < 0 || jLast < jFirst)
                {
                    continue;
                }

                int ja = jFirst < 0 ? 0 : (int)jFirst;
                int jb = jLast > sizeY - 1 ? sizeY - 1 : (int)jLast;
                if (crossings is null)
                {
                    cursor[ja]++;
                    cursor[jb + 1]--;
                    continue;
                }

                double dxPerDy = (x1 - x0) / (y1 - y0);
                for (int j = ja; j <= jb; j++)
                {
                    crossings[cursor[j]++] = x0 + (j - y0) * dxPerDy;
                }
            }
        }
    }
}
