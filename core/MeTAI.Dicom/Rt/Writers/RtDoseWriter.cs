using System.Buffers.Binary;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt.Writers;

/// <summary>
/// Writes an <see cref="RtDose"/> as an RT Dose Storage instance (Patient, General Study, RT Series, Frame of
/// Reference, General Equipment, General Image, Image Plane, Image Pixel, Multi-frame, RT Dose, SOP Common). Pixels
/// are 16-bit unsigned integers by default (signed when the grid holds negative values) with a Dose Grid Scaling that
/// maps the largest magnitude to the top of the range: a resolution of 1/65535 of the maximum (1 mGy at 70 Gy), far
/// below Monte Carlo noise, and the form every RT system and validator reads — dicom3tools' dciodvfy aborts on 32-bit
/// pixel data. 32-bit pixels (about nine significant digits) can be asked for. Grid Frame Offset Vector is written
/// relative (first value 0).
/// </summary>
public static class RtDoseWriter
{
    /// <summary>Writes the dose to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(RtDose dose, string path, DateTime? created = null, int bitsAllocated = 16) =>
        RtFiles.WriteDataset(ToDataset(dose, created, bitsAllocated), path);

    /// <summary>The dose as a dataset, with 16-bit (default) or 32-bit pixels.</summary>
    public static DicomDataset ToDataset(RtDose dose, DateTime? created = null, int bitsAllocated = 16)
    {
        ArgumentNullException.ThrowIfNull(dose);
        if (bitsAllocated is not (16 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(bitsAllocated), bitsAllocated, "RT Dose pixels are 16 or 32 bits.");
        }

        GridGeometry g = dose.Dose.Geometry;
        Vec3 row = g.Direction.Column(0), col = g.Direction.Column(1), normal = g.Direction.Column(2);
        if (Math.Abs(Vec3.Dot(Vec3.Cross(row, col), normal)) < 0.999)
        {
            throw new ArgumentException("The dose grid's slice axis must be along the normal of its rows and columns.", nameof(dose));
        }

        bool summationNeedsPlan = dose.DoseSummationType is "PLAN" or "MULTI_PLAN" or "FRACTION" or "BEAM" or "BRACHY" or "FRACTION_SESSION" or "BEAM_SESSION" or "BRACHY_SESSION" or "CONTROL_POINT";
        if (summationNeedsPlan && dose.ReferencedPlanUid is null)
        {
            throw new ArgumentException($"A dose with summation type {dose.DoseSummationType} must reference its RT Plan.", nameof(dose));
        }

        DateTime now = created ?? DateTime.Now;
        DicomDataset ds = RtWrite.NewInstance(DicomUid.RTDoseStorage, dose.SopInstanceUid, now);
        dose.PatientStudy.WriteTo(ds);
        RtWrite.Series(ds, "RTDOSE", dose.SeriesInstanceUid, dose.SeriesNumber, "MeTAI dose", now);
        RtWrite.FrameOfReference(ds, dose.FrameOfReferenceUid);
        RtWrite.Equipment(ds);

        // General Image.
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, RtWrite.Date(now));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, RtWrite.Time(now));

        // Image Plane.
        ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, g.SpacingMm.Y, g.SpacingMm.X);
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, row.X, row.Y, row.Z, col.X, col.Y, col.Z);
        RtWrite.Vec3(ds, DicomTags.ImagePositionPatient, g.OriginLps);
        ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, g.SpacingMm.Z);

        // Multi-frame: frames advance by Grid Frame Offset Vector.
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, g.SizeZ);
        ds.AddOrUpdate(DicomTags.FrameIncrementPointer, DicomTags.GridFrameOffsetVector);

        // Image Pixel / RT Dose pixel description.
        float min = 0, maxAbs = 0;
        foreach (float v in dose.Dose.Data)
        {
            if (!float.IsFinite(v))
            {
                throw new ArgumentException("The dose grid holds a value that is not finite.", nameof(dose));
            }

            min = Math.Min(min, v);
            maxAbs = Math.Max(maxAbs, Math.Abs(v));
        }

        bool signed = min < 0;
        bool wide = bitsAllocated == 32;
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, g.SizeY);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, g.SizeX);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, bitsAllocated);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, bitsAllocated);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, bitsAllocated - 1);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, signed ? 1 : 0);

        // RT Dose.
        ds.AddOrUpdate(DicomTags.DoseUnits, DicomVR.CS, dose.DoseUnits);
        ds.AddOrUpdate(DicomTags.DoseType, DicomVR.CS, dose.DoseType);
        RtWrite.Optional(ds, DicomTags.DoseComment, DicomVR.LO, dose.Comment);
        ds.AddOrUpdate(DicomTags.DoseSummationType, DicomVR.CS, dose.DoseSummationType);
        var offsets = new double[g.SizeZ];
        for (int k = 0; k < offsets.Length; k++)
        {
            offsets[k] = k * g.SpacingMm.Z;
        }

        ds.AddOrUpdate(DicomTags.GridFrameOffsetVector, DicomVR.DS, offsets);
        double scaling = ChooseScaling(maxAbs, signed, bitsAllocated);
        ds.AddOrUpdate(DicomTags.DoseGridScaling, DicomVR.DS, scaling);
        if (dose.TissueHeterogeneityCorrection.Count > 0)
        {
            ds.AddOrUpdate(DicomTags.TissueHeterogeneityCorrection, DicomVR.CS, [.. dose.TissueHeterogeneityCorrection]);
        }

        if (dose.ReferencedPlanUid is { } planUid)
        {
            DicomDataset plan = RtWrite.Reference(DicomUid.RTPlanStorage, planUid);
            if (dose.ReferencedFractionGroupNumber is { } fractionGroup)
            {
                var fg = new DicomDataset();
                if (dose.ReferencedBeamNumbers.Count > 0)
                {
                    fg.AddSequence(DicomTags.ReferencedBeamSequence, dose.ReferencedBeamNumbers.Select(b =>
                    {
                        var item = new DicomDataset();
                        item.AddOrUpdate(DicomTags.ReferencedBeamNumber, DicomVR.IS, b);
                        return item;
                    }));
                }

                fg.AddOrUpdate(DicomTags.ReferencedFractionGroupNumber, DicomVR.IS, fractionGroup);
                plan.AddSequence(DicomTags.ReferencedFractionGroupSequence, [fg]);
            }

            ds.AddSequence(DicomTags.ReferencedRTPlanSequence, [plan]);
        }

        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, wide ? Pixels32(dose.Dose.Data, scaling, signed) : Pixels16(dose.Dose.Data, scaling, signed));
        return RtValueCheck.Checked(ds, "RT Dose");
    }

    /// <summary>
    /// The Dose Grid Scaling for a grid whose largest magnitude is <paramref name="maxAbs"/>, mapping it to about 93 %
    /// of the integer range of <paramref name="bitsAllocated"/>-bit pixels: the value written (DS text) is what readers
    /// multiply by, so pixels are computed from the formatted value, and it is bumped until the maximum fits.
    /// </summary>
    public static double ChooseScaling(double maxAbs, bool signed, int bitsAllocated = 16)
    {
        if (maxAbs <= 0)
        {
            return 1.0;
        }

        double limit = bitsAllocated == 16 ? (signed ? short.MaxValue : ushort.MaxValue) : (signed ? int.MaxValue : uint.MaxValue);
        double target = 0.93 * limit;
        double scaling = Parse(DicomValueFormat.FormatDS(maxAbs / target));
        while (Math.Round(maxAbs / scaling) > limit)
        {
            scaling = Parse(DicomValueFormat.FormatDS(scaling * 1.001));
        }

        return scaling;
    }

    private static double Parse(string ds) => DicomValueFormat.TryParseDS(ds, out double v) ? v : throw new InvalidOperationException($"'{ds}' is not a decimal string.");

    private static byte[] Pixels16(float[] data, double scaling, bool signed)
    {
        var bytes = new byte[data.Length * 2];
        for (int n = 0; n < data.Length; n++)
        {
            double q = Math.Round(data[n] / scaling);
            if (signed)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * n), (short)q);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * n), (ushort)q);
            }
        }

        return bytes;
    }

    private static byte[] Pixels32(float[] data, double scaling, bool signed)
    {
        var bytes = new byte[data.Length * 4];
        for (int n = 0; n < data.Length; n++)
        {
            double q = Math.Round(data[n] / scaling);
            if (signed)
            {
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * n), (int)q);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * n), (uint)q);
            }
        }

        return bytes;
    }
}
