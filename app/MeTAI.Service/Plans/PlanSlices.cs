using System.Collections.Concurrent;
using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Service.Plans;

/// <summary>Axial-slice geometry of a plan.</summary>
/// <param name="Count">Number of CT slices.</param>
/// <param name="Width">Pixels across (columns; LPS x for an HFS CT, see <see cref="Edges"/>).</param>
/// <param name="Height">Pixels down (rows; LPS y for an HFS CT).</param>
/// <param name="PixelSpacingMm">Column and row spacing, mm.</param>
/// <param name="ZMm">LPS z of each slice, mm.</param>
/// <param name="MaxDoseGy">Largest dose on the CT grid.</param>
/// <param name="DefaultSlice">The first slice to show: through the plan's isocentre (report.json <c>isocenterLps</c>), else through the hottest voxel.</param>
/// <param name="PatientPosition">Patient Position (0018,5100) of the CT (HFS, HFP, FFS, …), or empty when it has none.</param>
/// <param name="Edges">The patient direction at each edge of the slice as it is sent (R/L/A/P), from the CT's geometry.</param>
public sealed record SliceInfo(int Count, int Width, int Height, double[] PixelSpacingMm, double[] ZMm, double MaxDoseGy, int DefaultSlice, string PatientPosition, SliceEdges Edges);

/// <summary>
/// The patient directions at the edges of an axial slice as it is sent (rows top to bottom, columns left to right):
/// e.g. R, L, A, P for a head-first-supine CT, L, R, P, A for head-first prone. Computed from Image Orientation
/// (Patient), never assumed.
/// </summary>
/// <param name="Left">Letters at the left edge (towards column 0).</param>
/// <param name="Right">Letters at the right edge.</param>
/// <param name="Top">Letters at the top edge (towards row 0).</param>
/// <param name="Bottom">Letters at the bottom edge.</param>
public sealed record SliceEdges(string Left, string Right, string Top, string Bottom);

/// <summary>One ROI outline on a slice, in pixel coordinates (column, row; fractional).</summary>
/// <param name="Name">ROI name.</param>
/// <param name="Color">Colour, <c>#rrggbb</c>.</param>
/// <param name="Points">Flat list of column, row pairs.</param>
public sealed record SliceContour(string Name, string Color, double[] Points);

/// <summary>
/// An axial slice: CT numbers and dose on the CT pixel grid, little-endian arrays in base64 (<c>ctHu</c>: int16,
/// <c>doseGy</c>: float32, row-major from the top-left pixel), and the ROI outlines that lie on it.
/// </summary>
/// <param name="Index">Slice index (0 = the first along the slice normal: most inferior for head-first CTs, most superior for feet-first).</param>
/// <param name="ZMm">LPS z, mm.</param>
/// <param name="Width">Columns.</param>
/// <param name="Height">Rows.</param>
/// <param name="CtHu">int16 LE, base64.</param>
/// <param name="DoseGy">float32 LE, base64 (the RTDOSE resampled trilinearly onto the CT pixels; 0 outside it).</param>
/// <param name="Contours">ROI outlines on this slice.</param>
public sealed record SliceData(int Index, double ZMm, int Width, int Height, string CtHu, string DoseGy, IReadOnlyList<SliceContour> Contours);

/// <summary>
/// Reads a finished plan's CT series, RTDOSE and RTSTRUCT back from its files and cuts axial slices for the dose view.
/// The last few plans read are kept in memory.
/// </summary>
public sealed class PlanSlices
{
    private const int CacheSize = 3;
    private readonly ConcurrentDictionary<string, Lazy<Volume>> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>Slice geometry of the plan in <paramref name="directory"/>.</summary>
    public SliceInfo Info(string directory)
    {
        Volume v = Load(directory);
        GridGeometry g = v.Ct.Geometry;
        (string left, string right, string top, string bottom) = PatientPositions.EdgeLetters(g.Direction.Column(0), g.Direction.Column(1));
        return new SliceInfo(g.SizeZ, g.SizeX, g.SizeY, [g.SpacingMm.X, g.SpacingMm.Y],
            [.. Enumerable.Range(0, g.SizeZ).Select(k => Math.Round(g.IndexToLps(0, 0, k).Z, 3))], v.MaxDoseGy, v.DefaultSlice,
            v.PatientPosition, new SliceEdges(left, right, top, bottom));
    }

    /// <summary>Slice <paramref name="k"/>; throws <see cref="ArgumentOutOfRangeException"/> outside the series.</summary>
    public SliceData Slice(string directory, int k)
    {
        Volume v = Load(directory);
        GridGeometry g = v.Ct.Geometry;
        if (k < 0 || k >= g.SizeZ)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Slice index must be 0–{g.SizeZ - 1}.");
        }

        int plane = g.SizeX * g.SizeY;
        var ct = new byte[plane * 2];
        var dose = new byte[plane * 4];
        Buffer.BlockCopy(v.Ct.Data, k * plane * 2, ct, 0, ct.Length);
        Buffer.BlockCopy(v.DoseOnCt, k * plane * 4, dose, 0, dose.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Slices are sent little-endian.");
        }

        double z = g.IndexToLps(0, 0, k).Z;
        double halfGap = g.SpacingMm.Z / 2;
        var contours = new List<SliceContour>();
        foreach (RtRoi roi in v.Structures.Rois)
        {
            string color = roi.Color is { } c ? $"#{c.R:x2}{c.G:x2}{c.B:x2}" : "#ffff00";
            foreach (RtContour contour in roi.Contours.Where(c => c.IsClosedPlanar && c.PointsLps.Count >= 3))
            {
                if (Math.Abs(contour.PointsLps[0].Z - z) > halfGap)
                {
                    continue;
                }

                var points = new double[contour.PointsLps.Count * 2];
                for (int n = 0; n < contour.PointsLps.Count; n++)
                {
                    Vec3 ijk = g.LpsToIndex(contour.PointsLps[n]);
                    points[2 * n] = Math.Round(ijk.X, 2);
                    points[2 * n + 1] = Math.Round(ijk.Y, 2);
                }

                contours.Add(new SliceContour(roi.Name, color, points));
            }
        }

        return new SliceData(k, Math.Round(z, 3), g.SizeX, g.SizeY, Convert.ToBase64String(ct), Convert.ToBase64String(dose), contours);
    }

    /// <summary>Forgets a plan (after it is deleted).</summary>
    public void Forget(string directory) => _cache.TryRemove(directory, out _);

    private Volume Load(string directory)
    {
        Lazy<Volume> lazy = _cache.GetOrAdd(directory, d =>
        {
            _order.Enqueue(d);
            return new Lazy<Volume>(() => Volume.Read(d));
        });
        while (_cache.Count > CacheSize && _order.TryDequeue(out string? old))
        {
            if (old != directory)
            {
                _cache.TryRemove(old, out _);
            }
        }

        return lazy.Value;
    }

    private sealed class Volume
    {
        public required VoxelGrid<short> Ct { get; init; }

        public required float[] DoseOnCt { get; init; }

        public required RtStructureSet Structures { get; init; }

        public required double MaxDoseGy { get; init; }

        public required int DefaultSlice { get; init; }

        public required string PatientPosition { get; init; }

        public static Volume Read(string directory)
        {
            CtSeries ct = CtSeriesReader.Read(Path.Combine(directory, RtStudyWriter.CtDirectory));
            RtDose dose = RtDoseReader.Read(Path.Combine(directory, RtStudyWriter.DoseFile));
            RtStructureSet ss = RtStructureSetReader.Read(Path.Combine(directory, RtStudyWriter.StructureSetFile));
            float[] onCt = Resample(dose.Dose, ct.Geometry);
            int hottest = 0;
            float max = 0;
            int plane = ct.Geometry.SizeX * ct.Geometry.SizeY;
            for (int n = 0; n < onCt.Length; n++)
            {
                if (onCt[n] > max)
                {
                    max = onCt[n];
                    hottest = n / plane;
                }
            }

            return new Volume { Ct = ct.Hu, DoseOnCt = onCt, Structures = ss, MaxDoseGy = max, DefaultSlice = IsocenterSlice(directory, ct.Geometry) ?? hottest, PatientPosition = ct.PatientPosition };
        }

        // The slice nearest the isocentre the planner wrote into report.json (a noisy plan's hottest voxel can lie on
        // the edge of the target), or null when the report gives none.
        private static int? IsocenterSlice(string directory, GridGeometry ct)
        {
            string report = Path.Combine(directory, "report.json");
            if (!File.Exists(report))
            {
                return null;
            }

            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(report));
            if (!doc.RootElement.TryGetProperty("isocenterLps", out JsonElement iso) || iso.ValueKind != JsonValueKind.Array || iso.GetArrayLength() != 3)
            {
                return null;
            }

            Vec3 ijk = ct.LpsToIndex(new Vec3(iso[0].GetDouble(), iso[1].GetDouble(), iso[2].GetDouble()));
            return Math.Clamp((int)Math.Round(ijk.Z), 0, ct.SizeZ - 1);
        }

        // Trilinear interpolation of the dose at every CT voxel centre inside the dose grid's outer faces (a copy when
        // the grids are the same; 0 outside).
        private static float[] Resample(VoxelGrid<float> dose, GridGeometry ct) => GridSampling.Resample(dose, ct, marginVoxels: 0.5);
    }
}
