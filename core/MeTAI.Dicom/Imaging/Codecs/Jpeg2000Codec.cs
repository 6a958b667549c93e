using System.Buffers;
using System.Buffers.Binary;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// JPEG 2000 (ISO/IEC 15444-1): Lossless Only (1.2.840.10008.1.2.4.90) and lossless-or-lossy (.91), decoded by
/// OpenJPEG through its C API (Debian libopenjp2-7, libopenjp2.so.7) from memory. OpenJPEG applies the codestream's
/// inverse multi-component transform (RCT or ICT), so YBR_RCT and YBR_ICT images come out as RGB (PS3.5 §8.2.4).
/// Samples are OpenJPEG's 32-bit integers, signed when the codestream says so; a codestream that says unsigned for
/// data whose Pixel Representation is 1 is sign-extended from its precision, as pydicom corrects it. A raw codestream
/// (FF 4F FF 51) is expected, a JP2 file box (which DICOM forbids but some writers add) is also read. Components must
/// all be full resolution.
/// </summary>
internal sealed class Jpeg2000Codec : IFrameDecoder
{
    /// <summary>True when OpenJPEG loads.</summary>
    public static bool IsAvailable => OpenJpeg.Library.IsAvailable;

    /// <inheritdoc />
    public int MaxExpansion => 0;

    /// <inheritdoc />
    public string DecodedPhotometricInterpretation(string stored) => stored is "YBR_RCT" or "YBR_ICT" ? "RGB" : stored;

    /// <inheritdoc />
    public bool IsFrameStart(ReadOnlySpan<byte> fragment) => IsCodestream(fragment) || IsJp2(fragment);

    /// <summary>
    /// Reads the SIZ segment (ISO/IEC 15444-1 A.5.1) that follows SOC: image extent less offset, component count and
    /// the first component's precision; in a JP2 file, of the codestream found inside it.
    /// </summary>
    public void CheckHeader(ReadOnlySpan<byte> data, FrameFormat format, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(format);
        int soc = data.IndexOf(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 });
        if (soc < 0 || (soc > 0 && !IsJp2(data)))
        {
            throw format.Fail(frameIndex, "the JPEG 2000 codestream does not begin with SOC and SIZ (FF 4F FF 51) or a JP2 signature box");
        }

        ReadOnlySpan<byte> siz = data[(soc + 4)..];
        if (siz.Length < 41)
        {
            throw format.Fail(frameIndex, "the JPEG 2000 SIZ segment is truncated");
        }

        long width = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[4..]) - BinaryPrimitives.ReadUInt32BigEndian(siz[12..]);
        long height = (long)BinaryPrimitives.ReadUInt32BigEndian(siz[8..]) - BinaryPrimitives.ReadUInt32BigEndian(siz[16..]);
        int components = BinaryPrimitives.ReadUInt16BigEndian(siz[36..]);
        int precision = (siz[38] & 0x7F) + 1;
        format.Check(frameIndex, "JPEG 2000", width, height, components, precision);
    }

    /// <inheritdoc />
    public void Decode(ReadOnlyMemory<byte> data, FrameFormat format, Span<byte> destination, int frameIndex)
    {
        ArgumentNullException.ThrowIfNull(format);
        ReadOnlySpan<byte> span = data.Span;
        bool jp2 = IsJp2(span);
        if (!jp2 && !IsCodestream(span))
        {
            throw format.Fail(frameIndex, "the JPEG 2000 codestream does not begin with SOC and SIZ (FF 4F FF 51) or a JP2 signature box");
        }

        using MemoryHandle pinned = data.Pin();
        using OpenJpeg.DecodedImage image = OpenJpeg.Decode(pinned, data.Length, jp2, format, frameIndex);
        OpenJpeg.Component[] components = image.Components;
        if (components.Length == 0)
        {
            throw format.Fail(frameIndex, "the JPEG 2000 codestream has no components");
        }

        OpenJpeg.Component first = components[0];
        int precision = first.Precision;
        bool signed = first.Signed;
        format.Check(frameIndex, "JPEG 2000", first.Width, first.Height, components.Length, precision);
        for (int c = 0; c < components.Length; c++)
        {
            OpenJpeg.Component k = components[c];
            if (k.Width != first.Width || k.Height != first.Height || k.Dx != 1 || k.Dy != 1 || k.Precision != precision || k.Signed != signed)
            {
                throw format.Fail(frameIndex, $"JPEG 2000 component {c} is {k.Width}×{k.Height} (subsampled {k.Dx}×{k.Dy}) at {k.Precision} bits {(k.Signed ? "signed" : "unsigned")}; every component must match the first ({first.Width}×{first.Height}, {precision} bits)");
            }
        }

        var sink = new FrameSink(destination, format, precision, signed);
        int pixels = format.Pixels;
        for (int c = 0; c < components.Length; c++)
        {
            ReadOnlySpan<int> samples = image.Samples(c, pixels);
            for (int p = 0; p < pixels; p++)
            {
                sink.Set(p, c, samples[p]);
            }
        }
    }

    private static bool IsCodestream(ReadOnlySpan<byte> d) => d.Length >= 4 && d[0] == 0xFF && d[1] == 0x4F && d[2] == 0xFF && d[3] == 0x51;

    private static bool IsJp2(ReadOnlySpan<byte> d) => d.Length >= 12 && d[..12].SequenceEqual(new byte[] { 0, 0, 0, 12, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A });
}
