using System.Globalization;
using System.Runtime.InteropServices;
using MeTAI.Dicom;

namespace MeTAI.Benchmarks.Dicom;

/// <summary>
/// A synthetic axial CT series (CT Image Storage, Explicit VR Little Endian, signed 16-bit pixels equal to HU): a
/// water cylinder with a bone ring in air, one slice per millimetre step. Complete enough for dciodvfy's CT Image IOD
/// check; used by <see cref="DicomBenchmark"/> and the codec's validation tests.
/// </summary>
public sealed class SyntheticCtSeries
{
    /// <summary>A series description with fresh study, series and frame-of-reference UIDs.</summary>
    /// <param name="size">Rows and columns of every slice.</param>
    /// <param name="pixelSpacingMm">In-plane pixel spacing (mm).</param>
    /// <param name="sliceThicknessMm">Slice spacing and thickness (mm).</param>
    public SyntheticCtSeries(int size, double pixelSpacingMm = 1.0, double sliceThicknessMm = 2.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, ushort.MaxValue);
        Size = size;
        PixelSpacingMm = pixelSpacingMm;
        SliceThicknessMm = sliceThicknessMm;
    }

    /// <summary>Rows and columns.</summary>
    public int Size { get; }

    /// <summary>In-plane pixel spacing (mm).</summary>
    public double PixelSpacingMm { get; }

    /// <summary>Slice spacing and thickness (mm).</summary>
    public double SliceThicknessMm { get; }

    /// <summary>Study Instance UID shared by the slices.</summary>
    public string StudyInstanceUid { get; } = DicomUid.Generate();

    /// <summary>Series Instance UID shared by the slices.</summary>
    public string SeriesInstanceUid { get; } = DicomUid.Generate();

    /// <summary>Frame of Reference UID shared by the slices.</summary>
    public string FrameOfReferenceUid { get; } = DicomUid.Generate();

    /// <summary>The HU image of one slice (row-major, <see cref="Size"/>²): air, a water cylinder and a bone ring.</summary>
    public short[] SlicePixels(int index)
    {
        var hu = new short[Size * Size];
        double centre = (Size - 1) / 2.0, radius = Size * 0.4, bone = radius * 0.85;
        for (int r = 0; r < Size; r++)
        {
            double dy = r - centre;
            for (int c = 0; c < Size; c++)
            {
                double dx = c - centre, d = Math.Sqrt((dx * dx) + (dy * dy));
                // A little structure per slice keeps files distinct without costing the generator much.
                hu[(r * Size) + c] = d > radius ? (short)-1000 : d > bone ? (short)(700 + (index % 50)) : (short)((c + r + index) % 40);
            }
        }

        return hu;
    }

    /// <summary>Slice <paramref name="index"/> as a complete CT Image file.</summary>
    public DicomFile CreateSlice(int index)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, DicomUid.CTImageStorage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "20250101");
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, "20250101");
        ds.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, "120000");
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, "120000");
        ds.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, string.Empty);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
        ds.AddOrUpdate(DicomTags.Manufacturer, DicomVR.LO, "MeTAI synthetic");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, string.Empty);
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Phantom^Water");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PHANTOM-001");
        ds.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, string.Empty);
        ds.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, "O");
        ds.AddOrUpdate(DicomTags.SliceThickness, DicomVR.DS, SliceThicknessMm);
        ds.AddOrUpdate(DicomTags.KVP, DicomVR.DS, 120.0);
        ds.AddOrUpdate(DicomTags.PatientPosition, DicomVR.CS, "HFS");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, StudyInstanceUid);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, SeriesInstanceUid);
        ds.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, "1");
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.Laterality, DicomVR.CS, string.Empty);
        ds.AddOrUpdate(DicomTags.AcquisitionNumber, DicomVR.IS, 1);
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, index + 1);
        double half = (Size - 1) * PixelSpacingMm / 2;
        ds.AddOrUpdate(DicomTags.ImagePositionPatient, DicomVR.DS, -half, -half, index * SliceThicknessMm);
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, DicomVR.DS, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, DicomVR.UI, FrameOfReferenceUid);
        ds.AddOrUpdate(DicomTags.PositionReferenceIndicator, DicomVR.LO, string.Empty);
        ds.AddOrUpdate(DicomTags.SliceLocation, DicomVR.DS, index * SliceThicknessMm);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, Size);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, Size);
        ds.AddOrUpdate(DicomTags.PixelSpacing, DicomVR.DS, PixelSpacingMm, PixelSpacingMm);
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, 16);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, 16);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, 15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, 1);
        ds.AddOrUpdate(DicomTags.WindowCenter, DicomVR.DS, 40.0);
        ds.AddOrUpdate(DicomTags.WindowWidth, DicomVR.DS, 400.0);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, DicomVR.DS, 0.0);
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.DS, 1.0);
        ds.AddOrUpdate(DicomTags.RescaleType, DicomVR.LO, "HU");
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "Synthetic water phantom " + Size.ToString(CultureInfo.InvariantCulture));
        short[] pixels = SlicePixels(index);
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray());
        return new DicomFile(ds);
    }
}
