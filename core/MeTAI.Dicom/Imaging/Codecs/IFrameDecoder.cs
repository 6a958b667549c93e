namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// Decodes the frames of one family of encapsulated transfer syntaxes (<see cref="FrameDecoders.For"/> chooses it by
/// transfer syntax). A decoder writes one frame into the layout every reader of <see cref="DicomPixelData"/> gets:
/// little-endian samples of Bits Allocated, pixel-interleaved, the stored values (no rescale, no colour conversion).
/// </summary>
internal interface IFrameDecoder
{
    /// <summary>
    /// The most bytes a frame can decode to per compressed byte, checked before the frame is allocated; 0 when the
    /// format has no useful bound (the frame size then comes from the dataset and is checked against the codestream).
    /// </summary>
    int MaxExpansion { get; }

    /// <summary>
    /// The Photometric Interpretation of the decoded frames, which differs from the dataset's where the standard says
    /// the decoder changes it (PS3.5 §8.2): JPEG 2000's YBR_RCT and YBR_ICT become RGB (the codestream's inverse
    /// component transform is applied), JPEG's YBR_FULL_422 becomes YBR_FULL (chroma upsampled).
    /// </summary>
    string DecodedPhotometricInterpretation(string stored);

    /// <summary>True when a fragment begins a codestream of this family (used to find frames without an offset table).</summary>
    bool IsFrameStart(ReadOnlySpan<byte> fragment);

    /// <summary>
    /// Reads only the codestream's header and refuses, before the frame is allocated, one whose size, components or
    /// precision do not match the dataset (a codec without a header to read checks nothing here).
    /// </summary>
    /// <exception cref="DicomFormatException">When the header is malformed or does not match.</exception>
    void CheckHeader(ReadOnlySpan<byte> data, FrameFormat format, int frameIndex);

    /// <summary>Decodes frame <paramref name="frameIndex"/> (its compressed bytes) into <paramref name="destination"/>.</summary>
    /// <exception cref="DicomFormatException">When the codestream is malformed, does not match the dataset, uses a
    /// feature this decoder refuses, or the native library is missing.</exception>
    void Decode(ReadOnlyMemory<byte> data, FrameFormat format, Span<byte> destination, int frameIndex);
}
