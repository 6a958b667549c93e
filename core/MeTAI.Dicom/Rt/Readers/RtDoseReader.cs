using System.Buffers.Binary;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt.Readers;

/// <summary>
/// Reads RT Dose Storage instances into <see cref="RtDose"/>: multi-frame 16- or 32-bit grids scaled by Dose Grid
/// Scaling, frames placed by Grid Frame Offset Vector in either convention PS3.3 C.8.8.3.2 allows (offsets relative to
/// Image Position (Patient), first value 0; or, for axial grids, absolute positions along the normal, first value
/// equal to the Image Position's). Errors name the file and attribute.
/// </summary>
public static class RtDoseReader
{
    /// <summary>Largest deviation in mm of a frame offset from a regular spacing still read as one grid.</summary>
    public const double OffsetToleranceMm = 0.01;

    /// <summary>Reads an RTDOSE file.</summary>
    public static RtDose Read(string path) => FromFile(RtFiles.ReadFile(path), path);

    /// <summary>Reads an RTDOSE dataset whose pixel data is little endian; <paramref name="source"/> names it in errors.</summary>
    public static RtDose FromDataset(DicomDataset dataset, string? source = null) => FromFile(new DicomFile(dataset), source);

    /// <summary>Reads an RTDOSE file already parsed; <paramref name="source"/> names it in errors.</summary>
    public static RtDose FromFile(DicomFile file, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        DicomDataset ds = file.Dataset;
        string sopClass = RtRead.RequiredString(ds, DicomTags.SOPClassUID, source);
        if (sopClass != DicomUid.RTDoseStorage)
        {
            throw RtRead.Error(source, DicomTags.SOPClassUID, $"{sopClass} is not RT Dose Storage ({DicomUid.RTDoseStorage})");
        }

        int rows = RtRead.RequiredInt(ds, DicomTags.Rows, source);
        int cols = RtRead.RequiredInt(ds, DicomTags.Columns, source);
        if (rows <= 0 || cols <= 0)
        {
            throw RtRead.Error(source, rows <= 0 ? DicomTags.Rows : DicomTags.Columns, "must be positive");
        }

        int bits = RtRead.RequiredInt(ds, DicomTags.BitsAllocated, source);
        if (bits is not (16 or 32))
        {
            throw RtRead.Error(source, DicomTags.BitsAllocated, $"{bits} is not supported (16 or 32)");
        }

        bool signed = (RtRead.OptionalInt(ds, DicomTags.PixelRepresentation, source) ?? 0) == 1;
        long frameBytes = (long)rows * cols * (bits / 8);
        int frames = RtRead.OptionalInt(ds, DicomTags.NumberOfFrames, source) ?? 1;
        if (frames <= 0)
        {
            throw RtRead.Error(source, DicomTags.NumberOfFrames, "must be positive");
        }

        double[] pixelSpacing = RtRead.RequiredDoubles(ds, DicomTags.PixelSpacing, 2, source);
        if (!(pixelSpacing[0] > 0 && pixelSpacing[1] > 0))
        {
            throw RtRead.Error(source, DicomTags.PixelSpacing, "must be positive");
        }

        (Vec3 row, Vec3 col) = RtRead.Orientation(ds, source);
        Vec3 normal = Vec3.Cross(row, col);
        Vec3 ippLps = RtRead.RequiredVec3(ds, DicomTags.ImagePositionPatient, source);
        double dz = FrameSpacing(ds, frames, Vec3.Dot(ippLps, normal), source);
        if (dz < 0)
        {
            // Frames run against the normal: keep the frame order and point the k axis the other way.
            normal = -normal;
            dz = -dz;
        }

        double scaling = RtRead.OptionalDouble(ds, DicomTags.DoseGridScaling, source) ?? 1.0;
        if (!(scaling > 0))
        {
            throw RtRead.Error(source, DicomTags.DoseGridScaling, "must be positive");
        }

        var geometry = new GridGeometry(cols, rows, frames, new Vec3(pixelSpacing[1], pixelSpacing[0], dz), ippLps, Mat3.FromColumns(row, col, normal));
        var dose = new VoxelGrid<float>(geometry);
        ReadOnlySpan<byte> bytes = RtPixels.Frames(ds, checked((int)frameBytes), frames, file.TransferSyntax, source);
        float[] data = dose.Data;
        for (int n = 0; n < data.Length; n++)
        {
            double raw = bits == 16
                ? signed ? BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * n)..]) : BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * n)..])
                : signed ? BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * n)..]) : BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * n)..]);
            data[n] = (float)(raw * scaling);
        }

        DicomDataset? plan = RtRead.FirstItem(ds, DicomTags.ReferencedRTPlanSequence);
        DicomDataset? fractionGroup = plan is null ? null : RtRead.FirstItem(plan, DicomTags.ReferencedFractionGroupSequence);
        return new RtDose
        {
            Dose = dose,
            PatientStudy = RtPatientStudy.FromDataset(ds, source),
            SopInstanceUid = RtRead.RequiredString(ds, DicomTags.SOPInstanceUID, source),
            SeriesInstanceUid = RtRead.RequiredString(ds, DicomTags.SeriesInstanceUID, source),
            SeriesNumber = RtRead.OptionalInt(ds, DicomTags.SeriesNumber, source) ?? 1,
            FrameOfReferenceUid = RtRead.RequiredString(ds, DicomTags.FrameOfReferenceUID, source),
            DoseUnits = RtRead.RequiredString(ds, DicomTags.DoseUnits, source),
            DoseType = RtRead.RequiredString(ds, DicomTags.DoseType, source),
            DoseSummationType = RtRead.RequiredString(ds, DicomTags.DoseSummationType, source),
            Comment = RtRead.String(ds, DicomTags.DoseComment) ?? string.Empty,
            TissueHeterogeneityCorrection = RtRead.Strings(ds, DicomTags.TissueHeterogeneityCorrection),
            ReferencedPlanUid = plan is null ? null : RtRead.String(plan, DicomTags.ReferencedSOPInstanceUID),
            ReferencedFractionGroupNumber = fractionGroup is null ? null : RtRead.OptionalInt(fractionGroup, DicomTags.ReferencedFractionGroupNumber, source),
            ReferencedBeamNumbers = fractionGroup is null ? [] : [.. fractionGroup.GetItems(DicomTags.ReferencedBeamSequence).Select(b => RtRead.RequiredInt(b, DicomTags.ReferencedBeamNumber, source))],
        };
    }

    /// <summary>Spacing of the frames along the normal in mm (negative when they run against it).</summary>
    private static double FrameSpacing(DicomDataset ds, int frames, double ippAlongNormal, string? source)
    {
        double[] offsets = RtRead.Doubles(ds, DicomTags.GridFrameOffsetVector, source);
        if (frames == 1)
        {
            double thickness = RtRead.OptionalDouble(ds, DicomTags.SliceThickness, source) ?? 0;
            return thickness > 0 ? thickness : 1.0;
        }

        if (offsets.Length < frames)
        {
            throw RtRead.Error(source, DicomTags.GridFrameOffsetVector, $"has {offsets.Length} values for {frames} frames");
        }

        // Relative offsets start at 0; absolute ones at the first frame's position along the normal. Either way the
        // frame positions relative to Image Position (Patient) are the offsets minus the first.
        double first = offsets[0];
        if (Math.Abs(first) > OffsetToleranceMm && Math.Abs(first - ippAlongNormal) > OffsetToleranceMm)
        {
            throw RtRead.Error(source, DicomTags.GridFrameOffsetVector,
                $"first value {Text(first)} is neither 0 (relative offsets) nor {Text(ippAlongNormal)}, the ImagePositionPatient coordinate along the normal (absolute offsets)");
        }

        double dz = (offsets[frames - 1] - first) / (frames - 1);
        if (Math.Abs(dz) < OffsetToleranceMm)
        {
            throw RtRead.Error(source, DicomTags.GridFrameOffsetVector, "frames do not advance (duplicate offsets)");
        }

        for (int k = 1; k < frames; k++)
        {
            double expected = k * dz;
            if (Math.Abs(offsets[k] - first - expected) > Math.Max(OffsetToleranceMm, 0.01 * Math.Abs(dz)))
            {
                throw RtRead.Error(source, DicomTags.GridFrameOffsetVector, $"value {k + 1} ({Text(offsets[k])}) breaks the regular spacing of {Text(dz)} mm");
            }
        }

        return dz;
    }

    private static string Text(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
