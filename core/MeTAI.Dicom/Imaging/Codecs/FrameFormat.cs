namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// What a decoded frame must be, from the dataset's Image Pixel module: a decoder checks its codestream against it and
/// refuses a mismatch rather than guess.
/// </summary>
internal sealed record FrameFormat(
    DicomTransferSyntax Syntax,
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    int PixelRepresentation,
    string PhotometricInterpretation)
{
    /// <summary>Pixels in one frame.</summary>
    public int Pixels => Rows * Columns;

    /// <summary>Bytes of one sample in the decoded frame (Bits Allocated / 8).</summary>
    public int BytesPerSample => BitsAllocated / 8;

    /// <summary>Bytes of one decoded frame.</summary>
    public int FrameLength => Pixels * SamplesPerPixel * BytesPerSample;

    /// <summary>A decoding error for frame <paramref name="frame"/>, naming the transfer syntax.</summary>
    public DicomFormatException Fail(int frame, string reason) =>
        new($"{Syntax.Name} ({Syntax.Uid}) frame {frame}: {reason}", -1, DicomTags.PixelData);

    /// <summary>
    /// Refuses a codestream whose size, component count or precision does not fit the dataset; the
    /// <paramref name="codec"/> (e.g. "JPEG", "JPEG-LS") names where the codestream's values come from.
    /// </summary>
    public void Check(int frame, string codec, long width, long height, int components, int precision)
    {
        if (width != Columns || height != Rows || components != SamplesPerPixel)
        {
            throw Fail(frame, $"the {codec} codestream is {width}×{height} with {components} component(s); the dataset says {Columns}×{Rows} (Columns, Rows) with {SamplesPerPixel} (Samples per Pixel)");
        }

        if (precision < 1 || precision > BitsAllocated)
        {
            throw Fail(frame, $"the {codec} codestream has {precision}-bit samples; Bits Allocated is {BitsAllocated}");
        }
    }
}
