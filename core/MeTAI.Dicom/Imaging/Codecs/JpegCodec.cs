namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// The JPEG (ITU-T T.81) syntaxes: Baseline (1.2.840.10008.1.2.4.50), Extended (.51), Lossless (.57) and Lossless SV1
/// (.70). The codestream's start-of-frame marker, not the UID, picks the decoder — as dcmtk does, so a lossless
/// codestream in a file labelled baseline still decodes: SOF0/SOF1 → <see cref="JpegDctDecoder"/> (JpegLibrary),
/// SOF3 → <see cref="JpegLosslessDecoder"/>. Progressive, hierarchical and arithmetic-coded frames are refused by name.
/// </summary>
internal sealed class JpegCodec : IFrameDecoder
{
    /// <inheritdoc />
    public int MaxExpansion => 0;

    /// <summary>Checks a T.81 or T.87 frame header (they share SOF's layout) against the dataset.</summary>
    internal static void CheckJpegHeader(ReadOnlySpan<byte> data, FrameFormat format, int frameIndex, string codec)
    {
        ArgumentNullException.ThrowIfNull(format);
        (byte Marker, int Precision, int Height, int Width, int Components) header;
        try
        {
            header = JpegMarkers.ReadFrameHeader(data);
        }
        catch (FormatException ex)
        {
            throw format.Fail(frameIndex, $"{codec} codestream: {ex.Message}");
        }

        if (header.Marker == 0)
        {
            throw format.Fail(frameIndex, $"{codec} codestream: its header has no start-of-frame marker");
        }

        format.Check(frameIndex, codec, header.Width, header.Height, header.Components, header.Precision);
    }

    /// <inheritdoc />
    public string DecodedPhotometricInterpretation(string stored) => stored == "YBR_FULL_422" ? "YBR_FULL" : stored;

    /// <inheritdoc />
    public bool IsFrameStart(ReadOnlySpan<byte> fragment) => fragment.Length >= 2 && fragment[0] == 0xFF && fragment[1] == JpegMarkers.Soi;

    /// <inheritdoc />
    public void CheckHeader(ReadOnlySpan<byte> data, FrameFormat format, int frameIndex) => CheckJpegHeader(data, format, frameIndex, "JPEG");

    /// <inheritdoc />
    public void Decode(ReadOnlyMemory<byte> data, FrameFormat format, Span<byte> destination, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(format);
        try
        {
            byte sof = JpegMarkers.FindStartOfFrame(data.Span);
            switch (sof)
            {
                case JpegMarkers.Sof0:
                case JpegMarkers.Sof1:
                    JpegDctDecoder.Decode(data, format, destination, frameIndex);
                    break;
                case JpegMarkers.Sof3:
                    JpegLosslessDecoder.Decode(data.Span, format, destination, frameIndex);
                    break;
                case 0:
                    throw new FormatException("its header has no start-of-frame marker");
                default:
                    throw new FormatException($"it is {JpegMarkers.FrameName(sof)}, which is not decoded (baseline, extended and lossless Huffman-coded JPEG are)");
            }
        }
        catch (FormatException ex)
        {
            throw format.Fail(frameIndex, "JPEG codestream: " + ex.Message);
        }
    }
}
