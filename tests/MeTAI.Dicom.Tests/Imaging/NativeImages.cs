namespace MeTAI.Dicom.Tests.Imaging;

/// <summary>
/// Uncompressed multi-frame images written with our writer, for dcmtk and GDCM to compress: structure (edges, flat
/// areas, noise) so that every predictor and run mode is exercised, and values across the sign boundary.
/// </summary>
internal static class NativeImages
{
    public const int Rows = 48;
    public const int Columns = 64;

    /// <summary>
    /// <c>ct16</c>: signed 16-bit, −1000 … 2000 (air, water, bone); <c>u12</c>: unsigned 12 bits stored in 16
    /// (0 … 4095, CT with intercept −1024); <c>rgb8</c>: 8-bit RGB. Three frames each (two for RGB).
    /// </summary>
    public static string Write(string kind, string dir)
    {
        bool rgb = kind == "rgb8";
        var ds = new DicomDataset();
        // GDCM refuses multi-frame data in the single-frame Secondary Capture class: CT Image for grey (multi-frame CT
        // passes GDCM and dcmtk), Multi-frame True Color Secondary Capture for RGB.
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, rgb ? "1.2.840.10008.5.1.4.1.1.7.4" : "1.2.840.10008.5.1.4.1.1.2");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, DicomUid.Generate());
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, rgb ? "OT" : "CT");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Codec^Test");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "CODEC1");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, Rows);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, Columns);
        int frames = rgb ? 2 : 3;
        ds.AddOrUpdate(DicomTags.NumberOfFrames, DicomVR.IS, frames);
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, rgb ? 3 : 1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, rgb ? "RGB" : "MONOCHROME2");
        if (rgb)
        {
            ds.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, 0);
        }

        int bitsAllocated = rgb ? 8 : 16, bitsStored = kind == "u12" ? 12 : bitsAllocated;
        ds.AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, bitsAllocated);
        ds.AddOrUpdate(DicomTags.BitsStored, DicomVR.US, bitsStored);
        ds.AddOrUpdate(DicomTags.HighBit, DicomVR.US, bitsStored - 1);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, kind == "ct16" ? 1 : 0);
        byte[] pixels = rgb ? Rgb(frames) : Grey(frames, kind == "ct16");
        ds.AddOrUpdate(DicomTags.PixelData, rgb ? DicomVR.OB : DicomVR.OW, pixels);
        string path = Path.Combine(dir, kind + ".dcm");
        new DicomFile(ds).Save(path);
        return path;
    }

    private static byte[] Grey(int frames, bool signed)
    {
        var rng = new Random(17);
        var bytes = new byte[frames * Rows * Columns * 2];
        int at = 0;
        for (int f = 0; f < frames; f++)
        {
            for (int y = 0; y < Rows; y++)
            {
                for (int x = 0; x < Columns; x++)
                {
                    double r = Math.Sqrt(((x - 30 - (3 * f)) * (x - 30 - (3 * f))) + ((y - 24) * (y - 24)));
                    int hu = r < 6 ? 2000 - (50 * f) : r < 18 ? 40 + rng.Next(-30, 31) : x > 58 ? -1000 : -1000 + (x * 3) + rng.Next(0, 3);
                    int stored = signed ? hu : hu + 1024;
                    bytes[at++] = (byte)stored;
                    bytes[at++] = (byte)(stored >> 8);
                }
            }
        }

        return bytes;
    }

    private static byte[] Rgb(int frames)
    {
        var rng = new Random(5);
        var bytes = new byte[frames * Rows * Columns * 3];
        int at = 0;
        for (int f = 0; f < frames; f++)
        {
            for (int y = 0; y < Rows; y++)
            {
                for (int x = 0; x < Columns; x++)
                {
                    bytes[at++] = (byte)((x * 4) + f);
                    bytes[at++] = (byte)(y < 24 ? 200 : (y * 5) + rng.Next(0, 8));
                    bytes[at++] = (byte)((x + y) % 16 < 8 ? 30 : 220);
                }
            }
        }

        return bytes;
    }
}
