namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// The decoder of each encapsulated transfer syntax we decode, one per family:
/// <list type="table">
/// <item><term>RLE Lossless (1.2.840.10008.1.2.5)</term><description><see cref="RleCodec"/>, ours.</description></item>
/// <item><term>JPEG Baseline, Extended, Lossless, Lossless SV1 (1.2.840.10008.1.2.4.50, .51, .57, .70)</term><description><see cref="JpegCodec"/>: JpegLibrary (NuGet) for DCT, ours for lossless.</description></item>
/// <item><term>JPEG-LS Lossless, Near-Lossless (.80, .81)</term><description><see cref="JpegLsCodec"/>: CharLS (libcharls2).</description></item>
/// <item><term>JPEG 2000 Lossless, JPEG 2000 (.90, .91)</term><description><see cref="Jpeg2000Codec"/>: OpenJPEG (libopenjp2-7).</description></item>
/// </list>
/// Any other encapsulated syntax (HTJ2K, JPEG 2000 Part 2, MPEG, JPEG XL, unknown UIDs) has none.
/// </summary>
internal static class FrameDecoders
{
    private static readonly IFrameDecoder Rle = new RleCodec();
    private static readonly IFrameDecoder Jpeg = new JpegCodec();
    private static readonly IFrameDecoder JpegLs = new JpegLsCodec();
    private static readonly IFrameDecoder Jpeg2000 = new Jpeg2000Codec();

    private static readonly Dictionary<string, IFrameDecoder> ByUid = new(StringComparer.Ordinal)
    {
        [DicomTransferSyntax.RleLossless.Uid] = Rle,
        [DicomTransferSyntax.JpegBaseline.Uid] = Jpeg,
        [DicomTransferSyntax.JpegExtended.Uid] = Jpeg,
        [DicomTransferSyntax.JpegLossless.Uid] = Jpeg,
        [DicomTransferSyntax.JpegLosslessSV1.Uid] = Jpeg,
        [DicomTransferSyntax.JpegLsLossless.Uid] = JpegLs,
        [DicomTransferSyntax.JpegLsNearLossless.Uid] = JpegLs,
        [DicomTransferSyntax.Jpeg2000Lossless.Uid] = Jpeg2000,
        [DicomTransferSyntax.Jpeg2000.Uid] = Jpeg2000,
    };

    /// <summary>The decoder for an encapsulated <paramref name="syntax"/>, or null when none decodes it.</summary>
    public static IFrameDecoder? For(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return ByUid.GetValueOrDefault(syntax.Uid);
    }
}
