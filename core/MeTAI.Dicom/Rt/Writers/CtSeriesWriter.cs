using System.Buffers.Binary;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt.Writers;

/// <summary>
/// Writes a <see cref="CtSeries"/> as CT Image Storage instances, one per slice, with every Type 1 and Type 2
/// attribute of the CT Image IOD's modules (Patient, General Study, General Series, Frame of Reference, General
/// Equipment, General Image, Image Plane, Image Pixel, CT Image, VOI LUT, SOP Common). Pixels are stored as signed
/// 16-bit HU (Rescale Slope 1, Intercept 0), so the volume reads back identically.
/// </summary>
public static class CtSeriesWriter
{
    /// <summary>File name of slice k (0-based): <c>CT.&lt;k+1&gt;.dcm</c>.</summary>
    public static string FileName(int k) => string.Create(CultureInfo.InvariantCulture, $"CT.{k + 1}.dcm");

    /// <summary>Writes the slices into <paramref name="directory"/> (created if needed); returns the file paths in slice order.</summary>
    public static IReadOnlyList<string> Write(CtSeries series, string directory, DateTime? created = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        IReadOnlyList<DicomDataset> datasets = ToDatasets(series, created);
        var paths = new string[datasets.Count];
        for (int k = 0; k < datasets.Count; k++)
        {
            paths[k] = Path.Combine(directory, FileName(k));
            RtFiles.WriteDataset(datasets[k], paths[k]);
        }

        return paths;
    }

    /// <summary>The dataset of every slice, in slice order.</summary>
    public static IReadOnlyList<DicomDataset> ToDatasets(CtSeries series, DateTime? created = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        DateTime now = created ?? DateTime.Now;
        GridGeometry g = series.Geometry;
        Vec3 row = g.Direction.Column(0), col = g.Direction.Column(1), normal = g.Direction.Column(2);
        if (Vec3.Dot(Vec3.Cross(row, col), normal) < 0)
        {
            // DICOM slices carry only the row and column directions; the normal is their cross product.
            throw new ArgumentException("The grid's slice axis must be the cross product of its row and column axes (a right-handed grid) to be written as CT slices.", nameof(series));
        }

        var result = new DicomDataset[g.SizeZ];
        for (int k = 0; k < g.SizeZ; k++)
        {
            result[k] = Slice(series, k, row, col, normal, now);
        }

        return result;
    }

    private static DicomDataset Slice(CtSeries series, int k, Vec3 row, Vec3 col, Vec3 normal, DateTime now)
    {
        GridGeometry g = series.Geometry;
        DicomDataset ds = RtWrite.NewInstance(DicomUid.CTImageStorage, series.SopInstanceUids[k], now);

        // Patient, General Study.
        series.PatientStudy.WriteTo(ds);

        // General Series (Patient Position is Type 2C, required for CT).
        RtWrite.Series(ds, "CT", series.SeriesInstanceUid, series.SeriesNumber, series.SeriesDescription, now);
        ds.AddOrUpdate(DicomTags.PatientPosition, DicomVR.CS, series.PatientPosition);

        // Frame of Reference, General Equipment.
        RtWrite.FrameOfReference(ds, series.FrameOfReferenceUid);
        RtWrite.Equipment(ds);

        // General Image. Image Laterality U (unpaired) tells validators that the series Laterality (2C) is not needed.
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, k + 1);
        ds.AddOrUpdate(DicomTags.ImageLaterality, DicomVR.CS, "U");
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, RtWrite.Date(now));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, RtWrite.Time(now));

        // CT Image.
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "DERIVED", "SECONDARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.AcquisitionNumber, DicomVR.IS, 1);
        if (series.KvP is { } kvp)
        {
            ds.AddOrUpdate(DicomTags.KVP, DicomVR.DS, kvp);
        }
        else
        {
            ds.AddOrUpdate(DicomTags.KVP, DicomVR.DS, string.Empty);
        }

        ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, 0.0);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
        ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "HU");

        // Image Plane. Pixel Spacing is the row spacing (between rows, j) then the column spacing (between columns, i).
        Vec3 positionLps = g.IndexToLps(0, 0, k);
        ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, g.SpacingMm.Y, g.SpacingMm.X);
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, row.X, row.Y, row.Z, col.X, col.Y, col.Z);
        RtWrite.Vec3(ds, DicomTags.ImagePositionPatient, positionLps);
        ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, g.SpacingMm.Z);
        ds.AddOrUpdate(DicomTags.SliceLocation, DicomVR.DS, Vec3.Dot(positionLps, normal));

        // Image Pixel: signed 16-bit, all bits stored.
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, g.SizeY);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, g.SizeX);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, 16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, 16);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, 15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, 1);

        // VOI LUT: a soft-tissue window so viewers open the images sensibly.
        ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 40.0);
        ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 400.0);

        ReadOnlySpan<short> slice = series.Hu.Slice(k);
        var pixels = new byte[slice.Length * 2];
        for (int n = 0; n < slice.Length; n++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(2 * n), slice[n]);
        }

        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
        return RtValueCheck.Checked(ds, "CT slice " + (k + 1).ToString(CultureInfo.InvariantCulture));
    }
}
