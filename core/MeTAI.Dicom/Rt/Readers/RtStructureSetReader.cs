using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;

namespace MeTAI.Dicom.Rt.Readers;

/// <summary>Reads RT Structure Set Storage instances into <see cref="RtStructureSet"/>; errors name the file and attribute.</summary>
public static class RtStructureSetReader
{
    /// <summary>Reads an RTSTRUCT file.</summary>
    public static RtStructureSet Read(string path) => FromDataset(RtFiles.ReadDataset(path), path);

    /// <summary>Reads an RTSTRUCT dataset; <paramref name="source"/> names it in errors.</summary>
    public static RtStructureSet FromDataset(DicomDataset dataset, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        DicomDataset ds = dataset;
        string sopClass = RtRead.RequiredString(ds, DicomTags.SOPClassUID, source);
        if (sopClass != DicomUid.RTStructureSetStorage)
        {
            throw RtRead.Error(source, DicomTags.SOPClassUID, $"{sopClass} is not RT Structure Set Storage ({DicomUid.RTStructureSetStorage})");
        }

        DicomDataset? frame = RtRead.FirstItem(ds, DicomTags.ReferencedFrameOfReferenceSequence);
        DicomDataset? study = frame is null ? null : RtRead.FirstItem(frame, DicomTags.RTReferencedStudySequence);
        DicomDataset? series = study is null ? null : RtRead.FirstItem(study, DicomTags.RTReferencedSeriesSequence);

        // ROI Contour and RT ROI Observations items point at ROIs by number.
        var contoursByRoi = new Dictionary<int, DicomDataset>();
        foreach (DicomDataset item in ds.GetItems(DicomTags.ROIContourSequence))
        {
            contoursByRoi[RtRead.RequiredInt(item, DicomTags.ReferencedROINumber, source)] = item;
        }

        var observationByRoi = new Dictionary<int, DicomDataset>();
        foreach (DicomDataset item in ds.GetItems(DicomTags.RTROIObservationsSequence))
        {
            observationByRoi.TryAdd(RtRead.RequiredInt(item, DicomTags.ReferencedROINumber, source), item);
        }

        var rois = new List<RtRoi>();
        foreach (DicomDataset item in ds.GetItems(DicomTags.StructureSetROISequence))
        {
            int number = RtRead.RequiredInt(item, DicomTags.ROINumber, source);
            contoursByRoi.TryGetValue(number, out DicomDataset? contourItem);
            observationByRoi.TryGetValue(number, out DicomDataset? observation);
            string where = source is null ? $"ROI {number}" : $"{source} ROI {number}";
            rois.Add(new RtRoi
            {
                Number = number,
                Name = RtRead.String(item, DicomTags.ROIName) ?? string.Empty,
                Description = RtRead.String(item, DicomTags.ROIDescription) ?? string.Empty,
                GenerationAlgorithm = RtRead.String(item, DicomTags.ROIGenerationAlgorithm) ?? string.Empty,
                FrameOfReferenceUid = RtRead.String(item, DicomTags.ReferencedFrameOfReferenceUID),
                InterpretedType = observation is null ? string.Empty : RtRead.String(observation, DicomTags.RTROIInterpretedType) ?? string.Empty,
                Color = contourItem is null ? null : Color(contourItem, where),
                Contours = contourItem is null ? [] : [.. contourItem.GetItems(DicomTags.ContourSequence).Select(c => Contour(c, where))],
            });
        }

        return new RtStructureSet
        {
            PatientStudy = RtPatientStudy.FromDataset(ds, source),
            SopInstanceUid = RtRead.RequiredString(ds, DicomTags.SOPInstanceUID, source),
            SeriesInstanceUid = RtRead.RequiredString(ds, DicomTags.SeriesInstanceUID, source),
            SeriesNumber = RtRead.OptionalInt(ds, DicomTags.SeriesNumber, source) ?? 1,
            Label = RtRead.String(ds, DicomTags.StructureSetLabel) ?? string.Empty,
            Name = RtRead.String(ds, DicomTags.StructureSetName) ?? string.Empty,
            Description = RtRead.String(ds, DicomTags.StructureSetDescription) ?? string.Empty,
            Date = RtRead.String(ds, DicomTags.StructureSetDate) ?? string.Empty,
            Time = RtRead.String(ds, DicomTags.StructureSetTime) ?? string.Empty,
            FrameOfReferenceUid = frame is null ? null : RtRead.String(frame, DicomTags.FrameOfReferenceUID),
            ReferencedStudyUid = study is null ? null : RtRead.String(study, DicomTags.ReferencedSOPInstanceUID),
            ReferencedSeriesUid = series is null ? null : RtRead.String(series, DicomTags.SeriesInstanceUID),
            ReferencedImageUids = series is null ? [] : [.. series.GetItems(DicomTags.ContourImageSequence).Select(i => RtRead.String(i, DicomTags.ReferencedSOPInstanceUID) ?? string.Empty)],
            Rois = rois,
        };
    }

    private static RgbColor? Color(DicomDataset item, string where)
    {
        double[] rgb = RtRead.Doubles(item, DicomTags.ROIDisplayColor, where);
        if (rgb.Length == 0)
        {
            return null;
        }

        if (rgb.Length != 3 || rgb.Any(v => v is < 0 or > 255))
        {
            throw RtRead.Error(where, DicomTags.ROIDisplayColor, "expected three values 0–255");
        }

        return new RgbColor((byte)rgb[0], (byte)rgb[1], (byte)rgb[2]);
    }

    private static RtContour Contour(DicomDataset item, string where)
    {
        double[] data = RtRead.Doubles(item, DicomTags.ContourData, where);
        if (data.Length % 3 != 0)
        {
            throw RtRead.Error(where, DicomTags.ContourData, $"has {data.Length} values, not a multiple of 3");
        }

        int? declared = RtRead.OptionalInt(item, DicomTags.NumberOfContourPoints, where);
        if (declared is { } n && n != data.Length / 3)
        {
            throw RtRead.Error(where, DicomTags.NumberOfContourPoints, $"says {n} points but ContourData holds {data.Length / 3}");
        }

        var points = new Vec3[data.Length / 3];
        for (int p = 0; p < points.Length; p++)
        {
            points[p] = new Vec3(data[3 * p], data[3 * p + 1], data[3 * p + 2]);
        }

        string type = RtRead.RequiredString(item, DicomTags.ContourGeometricType, where);
        if (type == "CLOSED_PLANAR" && points.Length < 3)
        {
            throw RtRead.Error(where, DicomTags.ContourData, $"a CLOSED_PLANAR contour needs at least 3 points, found {points.Length}");
        }

        return new RtContour
        {
            GeometricType = type,
            PointsLps = points,
            Number = RtRead.OptionalInt(item, DicomTags.ContourNumber, where),
            ReferencedImageUids = [.. item.GetItems(DicomTags.ContourImageSequence).Select(i => RtRead.String(i, DicomTags.ReferencedSOPInstanceUID) ?? string.Empty)],
        };
    }
}
