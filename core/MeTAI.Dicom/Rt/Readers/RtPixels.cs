using MeTAI.Dicom.Imaging;

namespace MeTAI.Dicom.Rt.Readers;

/// <summary>Pixel data of the images and dose grids we read, as little-endian samples, through <see cref="DicomPixelData"/>.</summary>
internal static class RtPixels
{
    /// <summary>
    /// The first <paramref name="frames"/> frames of pixel data as little-endian samples (native or RLE Lossless);
    /// throws naming the file when the pixel data is absent, too short, or in a syntax the codec cannot decode.
    /// <paramref name="syntax"/> is the transfer syntax the dataset was read in (null: a dataset built in memory).
    /// </summary>
    public static byte[] Frames(DicomDataset ds, int frameBytes, int frames, DicomTransferSyntax? syntax, string? source)
    {
        if (!ds.Contains(DicomTags.PixelData))
        {
            throw RtRead.Error(source, DicomTags.PixelData, "required attribute is missing");
        }

        try
        {
            var pixels = DicomPixelData.Create(ds, syntax ?? DicomTransferSyntax.ExplicitVRLittleEndian);
            if (pixels.FrameLength != frameBytes)
            {
                throw RtRead.Error(source, DicomTags.PixelData, $"frames of {pixels.FrameLength} bytes, expected {frameBytes} from Rows × Columns × BitsAllocated");
            }

            if (pixels.NumberOfFrames < frames)
            {
                throw RtRead.Error(source, DicomTags.PixelData, $"holds {pixels.NumberOfFrames} frames, {frames} needed");
            }

            var bytes = new byte[(long)frameBytes * frames];
            for (int f = 0; f < frames; f++)
            {
                pixels.CopyFrame(f, bytes.AsSpan(f * frameBytes, frameBytes));
            }

            return bytes;
        }
        catch (DicomFormatException ex) when (ex.FilePath is null && source is not null)
        {
            throw ex.WithFile(source);
        }
    }
}
