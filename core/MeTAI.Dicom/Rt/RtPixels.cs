namespace MeTAI.Dicom.Rt;

/// <summary>Access to native (uncompressed, little-endian) pixel data of the images and dose grids we read.</summary>
internal static class RtPixels
{
    /// <summary>
    /// The pixel data of all frames as little-endian bytes; throws naming the file when it is absent, shorter than
    /// <paramref name="expectedBytes"/>, or encapsulated in a syntax we cannot decode.
    /// </summary>
    public static ReadOnlyMemory<byte> Frames(DicomDataset ds, long expectedBytes, string? source)
    {
        if (!ds.TryGetElement(DicomTags.PixelData, out DicomElement e))
        {
            throw RtRead.Error(source, DicomTags.PixelData, "required attribute is missing");
        }

        ReadOnlyMemory<byte> bytes = e is DicomFragmentSequence fragments ? Decode(fragments, ds, source) : e.Value;
        if (bytes.Length < expectedBytes)
        {
            throw RtRead.Error(source, DicomTags.PixelData, $"holds {bytes.Length} bytes, but Rows × Columns × frames × BitsAllocated need {expectedBytes}");
        }

        return bytes[..(int)expectedBytes];
    }

    private static ReadOnlyMemory<byte> Decode(DicomFragmentSequence fragments, DicomDataset ds, string? source)
    {
        _ = fragments;
        _ = ds;
        throw RtRead.Error(source, DicomTags.PixelData, "encapsulated (compressed) pixel data cannot be decoded");
    }
}
