namespace MeTAI.Dicom.Rt;

/// <summary>Access to native (uncompressed, little-endian) pixel data of the images and dose grids we read.</summary>
internal static class RtPixels
{
    /// <summary>
    /// The pixel data of all frames as little-endian samples of <paramref name="bitsAllocated"/> bits; throws naming
    /// the file when it is absent, shorter than <paramref name="expectedBytes"/>, or encapsulated in a syntax we cannot
    /// decode. <paramref name="syntax"/> is the transfer syntax the dataset was read from (null: little endian).
    /// </summary>
    public static ReadOnlyMemory<byte> Frames(DicomDataset ds, long expectedBytes, int bitsAllocated, DicomTransferSyntax? syntax, string? source)
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

        bytes = bytes[..(int)expectedBytes];
        if (syntax is { IsBigEndian: true } && e is not DicomFragmentSequence)
        {
            bytes = FromBigEndian(bytes.Span, e.VR, bitsAllocated);
        }

        return bytes;
    }

    /// <summary>
    /// Big-endian pixel data as little-endian samples. The reader has already swapped OW in 16-bit words, which is
    /// right for 16-bit samples; 32-bit samples then still need their two words exchanged. OB was left as in the file.
    /// </summary>
    private static byte[] FromBigEndian(ReadOnlySpan<byte> read, DicomVR vr, int bitsAllocated)
    {
        byte[] result = read.ToArray();
        if (bitsAllocated == 32 && vr == DicomVR.OW)
        {
            for (int n = 0; n + 3 < result.Length; n += 4)
            {
                (result[n], result[n + 1], result[n + 2], result[n + 3]) = (result[n + 2], result[n + 3], result[n], result[n + 1]);
            }
        }
        else if (bitsAllocated > 8 && vr != DicomVR.OW)
        {
            int unit = bitsAllocated / 8;
            for (int n = 0; n + unit - 1 < result.Length; n += unit)
            {
                result.AsSpan(n, unit).Reverse();
            }
        }

        return result;
    }

    private static ReadOnlyMemory<byte> Decode(DicomFragmentSequence fragments, DicomDataset ds, string? source)
    {
        _ = fragments;
        _ = ds;
        throw RtRead.Error(source, DicomTags.PixelData, "encapsulated (compressed) pixel data cannot be decoded");
    }
}
