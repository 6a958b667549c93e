using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Rt;

/// <summary>
/// An RT Structure Set (PS3.3 A.19): ROIs with their contours in LPS mm, and the CT series they were drawn on
/// (frame of reference, study, series and image UIDs). <see cref="FromMasks"/> builds one from voxel masks on a CT;
/// <see cref="ToMask(RtRoi, GridGeometry, double?)"/> turns an ROI back into a mask on any grid. Read and written by
/// <see cref="Readers.RtStructureSetReader"/> and <see cref="Writers.RtStructureSetWriter"/>.
/// </summary>
public sealed record RtStructureSet
{
    /// <summary>Patient and study.</summary>
    public RtPatientStudy PatientStudy { get; init; } = new();

    /// <summary>SOP Instance UID (0008,0018).</summary>
    public string SopInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Series Number (0020,0011).</summary>
    public int SeriesNumber { get; init; } = 2;

    /// <summary>Structure Set Label (3006,0002), at most 16 characters.</summary>
    public string Label { get; init; } = "METAI";

    /// <summary>Structure Set Name (3006,0004), or empty.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Structure Set Description (3006,0006), or empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Structure Set Date (3006,0008), DA text or empty.</summary>
    public string Date { get; init; } = string.Empty;

    /// <summary>Structure Set Time (3006,0009), TM text or empty.</summary>
    public string Time { get; init; } = string.Empty;

    /// <summary>Frame of Reference UID of the referenced CT (Referenced Frame of Reference Sequence), or null.</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>Study Instance UID of the referenced CT (RT Referenced Study Sequence), or null.</summary>
    public string? ReferencedStudyUid { get; init; }

    /// <summary>Series Instance UID of the referenced CT (RT Referenced Series Sequence), or null.</summary>
    public string? ReferencedSeriesUid { get; init; }

    /// <summary>SOP Instance UIDs of the referenced CT slices (the series' Contour Image Sequence).</summary>
    public IReadOnlyList<string> ReferencedImageUids { get; init; } = [];

    /// <summary>The ROIs, in ROI number order as read or built.</summary>
    public IReadOnlyList<RtRoi> Rois { get; init; } = [];

    /// <summary>The ROI called <paramref name="name"/> (an exact match first, then ignoring case), or null.</summary>
    public RtRoi? FindRoi(string name) =>
        Rois.FirstOrDefault(r => r.Name == name) ?? Rois.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A structure set for <paramref name="ct"/> holding one ROI per mask (ROI numbers from 1 in the given order): each
    /// mask is traced into closed planar contours on the CT slice planes (<see cref="ContourTracer"/>), and every contour
    /// references the CT slice it lies on. The masks must be on the CT's grid.
    /// </summary>
    public static RtStructureSet FromMasks(CtSeries ct, IEnumerable<RtRoiMask> masks, string label = "METAI", DateTime? created = null)
    {
        ArgumentNullException.ThrowIfNull(ct);
        ArgumentNullException.ThrowIfNull(masks);
        DateTime now = created ?? DateTime.Now;
        GridGeometry grid = ct.Geometry;
        var rois = new List<RtRoi>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (RtRoiMask m in masks)
        {
            if (!m.Mask.Geometry.SameAs(grid))
            {
                throw new ArgumentException($"ROI '{m.Mask.Name}' is not on the CT grid; contours must lie on the CT slices they reference.", nameof(masks));
            }

            if (!names.Add(m.Mask.Name))
            {
                throw new ArgumentException($"ROI name '{m.Mask.Name}' is used twice.", nameof(masks));
            }

            var contours = new List<RtContour>();
            for (int k = 0; k < grid.SizeZ; k++)
            {
                foreach (Contour c in ContourTracer.TraceSlice(m.Mask, k))
                {
                    contours.Add(new RtContour
                    {
                        PointsLps = c.PointsLps,
                        Number = contours.Count + 1,
                        ReferencedImageUids = [ct.SopInstanceUids[k]],
                    });
                }
            }

            rois.Add(new RtRoi
            {
                Number = rois.Count + 1,
                Name = m.Mask.Name,
                InterpretedType = m.InterpretedType,
                Color = m.Color,
                GenerationAlgorithm = "AUTOMATIC",
                FrameOfReferenceUid = ct.FrameOfReferenceUid,
                Contours = contours,
            });
        }

        return new RtStructureSet
        {
            PatientStudy = ct.PatientStudy,
            Label = label,
            Date = RtWrite.Date(now),
            Time = RtWrite.Time(now),
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            ReferencedStudyUid = ct.PatientStudy.StudyInstanceUid,
            ReferencedSeriesUid = ct.SeriesInstanceUid,
            ReferencedImageUids = ct.SopInstanceUids,
            Rois = rois,
        };
    }

    /// <summary>
    /// The ROI's CLOSED_PLANAR contours rasterised onto <paramref name="grid"/> (<see cref="ContourRasterizer"/>,
    /// even-odd, nearest plane); POINT and open contours are ignored. Each contour plane stands for a slab of
    /// <paramref name="planeSpacingMm"/>; when null, the spacing of the structure set's contour planes (the smallest gap
    /// between planes of any ROI along the grid's k axis — the CT slice spacing for contours drawn on a CT) is used.
    /// </summary>
    public VoxelMask ToMask(RtRoi roi, GridGeometry grid, double? planeSpacingMm = null)
    {
        ArgumentNullException.ThrowIfNull(roi);
        ArgumentNullException.ThrowIfNull(grid);
        var contours = roi.Contours.Where(c => c.IsClosedPlanar && c.PointsLps.Count >= 3).Select(c => c.ToContour()).ToList();
        return ContourRasterizer.Rasterize(roi.Name, contours, grid, planeSpacingMm ?? ContourPlaneSpacingMm(grid.Direction.Column(2)));
    }

    /// <summary>The named ROI as a mask on <paramref name="grid"/>; throws naming the ROIs present when it is missing.</summary>
    public VoxelMask ToMask(string roiName, GridGeometry grid, double? planeSpacingMm = null) =>
        ToMask(FindRoi(roiName) ?? throw new KeyNotFoundException($"ROI '{roiName}' not found; the structure set has {string.Join(", ", Rois.Select(r => $"'{r.Name}'"))}."), grid, planeSpacingMm);

    /// <summary>
    /// The smallest gap (mm) between distinct CLOSED_PLANAR contour planes of all ROIs along <paramref name="normal"/>,
    /// or null when there are fewer than two planes.
    /// </summary>
    public double? ContourPlaneSpacingMm(Vec3 normal)
    {
        var positions = new List<double>();
        foreach (RtRoi roi in Rois)
        {
            foreach (RtContour c in roi.Contours)
            {
                if (c.IsClosedPlanar && c.PointsLps.Count > 0)
                {
                    positions.Add(Vec3.Dot(c.PointsLps[0], normal));
                }
            }
        }

        positions.Sort();
        double? best = null;
        for (int n = 1; n < positions.Count; n++)
        {
            double gap = positions[n] - positions[n - 1];
            if (gap > ContourRasterizer.PlaneToleranceMm && (best is null || gap < best))
            {
                best = gap;
            }
        }

        return best;
    }
}
