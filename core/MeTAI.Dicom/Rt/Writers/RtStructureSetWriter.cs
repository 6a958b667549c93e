using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Dicom.Rt.Writers;

/// <summary>
/// Writes an <see cref="RtStructureSet"/> as an RT Structure Set Storage instance with the modules of the RT
/// Structure Set IOD: Patient, General Study, RT Series, Frame of Reference, General Equipment, Structure Set (with Referenced Frame of
/// Reference → RT Referenced Study → RT Referenced Series → Contour Image Sequence listing the CT slices), ROI
/// Contour (each contour referencing its slice), RT ROI Observations and SOP Common.
/// </summary>
public static class RtStructureSetWriter
{
    /// <summary>
    /// Referenced SOP Class UID for RT Referenced Study Sequence items: the (retired) Detached Study Management SOP
    /// Class, the value PS3.3 C.8.8.5 names and TPSs expect.
    /// </summary>
    public const string StudyReferenceSopClassUid = "1.2.840.10008.3.1.2.3.1";

    /// <summary>Writes the structure set to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(RtStructureSet structureSet, string path, DateTime? created = null) =>
        RtFiles.WriteDataset(ToDataset(structureSet, created), path);

    /// <summary>The structure set as a dataset.</summary>
    /// <exception cref="ArgumentException">When ROI numbers repeat or a contour has too few points.</exception>
    public static DicomDataset ToDataset(RtStructureSet structureSet, DateTime? created = null)
    {
        ArgumentNullException.ThrowIfNull(structureSet);
        RtStructureSet ss = structureSet;
        if (ss.Label.Length is 0 or > 16)
        {
            throw new ArgumentException($"Structure Set Label must have 1–16 characters, got '{ss.Label}'.", nameof(structureSet));
        }

        if (ss.FrameOfReferenceUid is null)
        {
            throw new ArgumentException("The structure set needs the Frame of Reference UID of its CT.", nameof(structureSet));
        }

        var numbers = new HashSet<int>();
        foreach (RtRoi roi in ss.Rois)
        {
            if (!numbers.Add(roi.Number))
            {
                throw new ArgumentException($"ROI number {roi.Number} is used twice.", nameof(structureSet));
            }
        }

        DateTime now = created ?? DateTime.Now;
        DicomDataset ds = RtWrite.NewInstance(DicomUid.RTStructureSetStorage, ss.SopInstanceUid, now);
        ss.PatientStudy.WriteTo(ds);
        RtWrite.Series(ds, "RTSTRUCT", ss.SeriesInstanceUid, ss.SeriesNumber, "MeTAI structures", now);
        RtWrite.FrameOfReference(ds, ss.FrameOfReferenceUid);
        RtWrite.Equipment(ds);

        // Structure Set.
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.StructureSetLabel, DicomVR.SH, ss.Label);
        RtWrite.Optional(ds, DicomTags.StructureSetName, DicomVR.LO, ss.Name);
        RtWrite.Optional(ds, DicomTags.StructureSetDescription, DicomVR.ST, ss.Description);
        ds.AddOrUpdate(DicomTags.StructureSetDate, DicomVR.DA, ss.Date.Length > 0 ? ss.Date : RtWrite.Date(now));
        ds.AddOrUpdate(DicomTags.StructureSetTime, DicomVR.TM, ss.Time.Length > 0 ? ss.Time : RtWrite.Time(now));
        ds.AddSequence(DicomTags.ReferencedFrameOfReferenceSequence, [ReferencedFrame(ss)]);
        ds.AddSequence(DicomTags.StructureSetROISequence, ss.Rois.Select(roi =>
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.ROINumber, DicomVR.IS, roi.Number);
            item.AddOrUpdate(DicomTags.ReferencedFrameOfReferenceUID, DicomVR.UI, roi.FrameOfReferenceUid ?? ss.FrameOfReferenceUid);
            item.AddOrUpdate(DicomTags.ROIName, DicomVR.LO, roi.Name);
            RtWrite.Optional(item, DicomTags.ROIDescription, DicomVR.ST, roi.Description);
            item.AddOrUpdate(DicomTags.ROIGenerationAlgorithm, DicomVR.CS, roi.GenerationAlgorithm);
            return item;
        }));

        // ROI Contour.
        ds.AddSequence(DicomTags.ROIContourSequence, ss.Rois.Select(RoiContour));

        // RT ROI Observations: one observation per ROI, numbered like the ROI.
        ds.AddSequence(DicomTags.RTROIObservationsSequence, ss.Rois.Select(roi =>
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.ObservationNumber, DicomVR.IS, roi.Number);
            item.AddOrUpdate(DicomTags.ReferencedROINumber, DicomVR.IS, roi.Number);
            item.AddOrUpdate(DicomTags.RTROIInterpretedType, DicomVR.CS, roi.InterpretedType);
            item.AddOrUpdate(DicomTags.ROIInterpreter, DicomVR.PN, string.Empty);
            return item;
        }));
        return RtValueCheck.Checked(ds, "RT Structure Set");
    }

    private static DicomDataset ReferencedFrame(RtStructureSet ss)
    {
        var frame = new DicomDataset();
        frame.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, ss.FrameOfReferenceUid!);
        if (ss.ReferencedStudyUid is { } studyUid && ss.ReferencedSeriesUid is { } seriesUid)
        {
            var series = new DicomDataset();
            series.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
            series.AddSequence(DicomTags.ContourImageSequence, ss.ReferencedImageUids.Select(uid => RtWrite.Reference(DicomUid.CTImageStorage, uid)));
            DicomDataset study = RtWrite.Reference(StudyReferenceSopClassUid, studyUid);
            study.AddSequence(DicomTags.RTReferencedSeriesSequence, [series]);
            frame.AddSequence(DicomTags.RTReferencedStudySequence, [study]);
        }

        return frame;
    }

    private static DicomDataset RoiContour(RtRoi roi)
    {
        var item = new DicomDataset();
        if (roi.Color is { } c)
        {
            item.AddOrUpdate(DicomTags.ROIDisplayColor, DicomVR.IS, c.R, c.G, c.B);
        }

        if (roi.Contours.Count > 0)
        {
            item.AddSequence(DicomTags.ContourSequence, roi.Contours.Select((contour, n) => Contour(roi, contour, n)));
        }

        item.AddOrUpdate(DicomTags.ReferencedROINumber, DicomVR.IS, roi.Number);
        return item;
    }

    private static DicomDataset Contour(RtRoi roi, RtContour contour, int n)
    {
        if (contour.IsClosedPlanar && contour.PointsLps.Count < 3)
        {
            throw new ArgumentException($"ROI '{roi.Name}': closed planar contour {n + 1} has {contour.PointsLps.Count} points; at least 3 are needed.", nameof(roi));
        }

        var item = new DicomDataset();
        if (contour.ReferencedImageUids.Count > 0)
        {
            item.AddSequence(DicomTags.ContourImageSequence, contour.ReferencedImageUids.Select(uid => RtWrite.Reference(DicomUid.CTImageStorage, uid)));
        }

        item.AddOrUpdate(DicomTags.ContourGeometricType, DicomVR.CS, contour.GeometricType);
        item.AddOrUpdate(DicomTags.NumberOfContourPoints, DicomVR.IS, contour.PointsLps.Count);
        item.AddOrUpdate(DicomTags.ContourNumber, DicomVR.IS, contour.Number ?? n + 1);
        var values = new string[3 * contour.PointsLps.Count];
        for (int p = 0; p < contour.PointsLps.Count; p++)
        {
            Vec3 v = contour.PointsLps[p];
            values[3 * p] = Coordinate(v.X);
            values[3 * p + 1] = Coordinate(v.Y);
            values[3 * p + 2] = Coordinate(v.Z);
        }

        item.AddOrUpdate(DicomTags.ContourData, DicomVR.DS, values);
        return item;
    }

    /// <summary>
    /// A contour coordinate as DS text rounded to 0.1 µm: exact enough for any grid (voxel centres are half a voxel
    /// from traced edges) and short, so long contours stay within the 64 KiB an explicit-VR DS value may hold.
    /// </summary>
    private static string Coordinate(double mm)
    {
        double r = Math.Round(mm, 4);
        return r == 0 ? "0" : r.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
