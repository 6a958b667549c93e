using System.Globalization;
using MeTAI.Core.Geometry;

namespace MeTAI.Dicom.Rt.Writers;

/// <summary>The modules every object we write shares (SOP Common, series, equipment) and small item builders.</summary>
internal static class RtWrite
{
    public const string Manufacturer = "MeTAI";
    public const string ModelName = "MeTAI.Intervention";
    public const string SoftwareVersion = "0.1";

    /// <summary>
    /// A dataset that starts with the SOP Common module: Specific Character Set (UTF-8, so any name can be written),
    /// instance creation date/time, SOP Class and Instance UIDs.
    /// </summary>
    public static DicomDataset NewInstance(string sopClassUid, string sopInstanceUid, DateTime created)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, Date(created));
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, Time(created));
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClassUid);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstanceUid);
        return ds;
    }

    /// <summary>General/RT Series: modality, series UID and number, series date/time, operators (Type 2).</summary>
    public static void Series(DicomDataset ds, string modality, string seriesInstanceUid, int seriesNumber, string description, DateTime created)
    {
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, modality);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesInstanceUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, seriesNumber);
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, Date(created));
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, Time(created));
        if (description.Length > 0)
        {
            ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, description);
        }

        ds.AddOrUpdate(DicomTags.OperatorsName, DicomVR.PN, string.Empty);
    }

    /// <summary>General Equipment (Manufacturer is Type 2; model and software identify us).</summary>
    public static void Equipment(DicomDataset ds)
    {
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, Manufacturer);
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, DicomVR.LO, ModelName);
        ds.AddOrUpdate(DicomTags.SoftwareVersions, DicomVR.LO, SoftwareVersion);
    }

    /// <summary>Frame of Reference module.</summary>
    public static void FrameOfReference(DicomDataset ds, string frameOfReferenceUid)
    {
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, frameOfReferenceUid);
        ds.AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO, string.Empty);
    }

    /// <summary>An item holding Referenced SOP Class UID and Referenced SOP Instance UID.</summary>
    public static DicomDataset Reference(string sopClassUid, string sopInstanceUid)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, DicomVR.UI, sopClassUid);
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        return item;
    }

    public static void Vec3(DicomDataset ds, DicomTag tag, Vec3 v) => ds.AddOrUpdate(tag, DicomVR.DS, v.X, v.Y, v.Z);

    public static void Optional(DicomDataset ds, DicomTag tag, DicomVR vr, double? value)
    {
        if (value is { } v)
        {
            ds.AddOrUpdate(tag, vr, v);
        }
    }

    public static void Optional(DicomDataset ds, DicomTag tag, DicomVR vr, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            ds.AddOrUpdate(tag, vr, value);
        }
    }

    public static string Date(DateTime t) => t.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Time(DateTime t) => t.ToString("HHmmss", CultureInfo.InvariantCulture);
}
