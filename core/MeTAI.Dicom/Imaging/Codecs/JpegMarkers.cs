using System.Buffers.Binary;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>Marker codes of ITU-T T.81 (JPEG) and T.87 (JPEG-LS) and a walk over a codestream's header segments.</summary>
internal static class JpegMarkers
{
    /// <summary>Start of image.</summary>
    public const byte Soi = 0xD8;

    /// <summary>End of image.</summary>
    public const byte Eoi = 0xD9;

    /// <summary>Start of scan.</summary>
    public const byte Sos = 0xDA;

    /// <summary>Define Huffman tables.</summary>
    public const byte Dht = 0xC4;

    /// <summary>Define restart interval.</summary>
    public const byte Dri = 0xDD;

    /// <summary>Define number of lines.</summary>
    public const byte Dnl = 0xDC;

    /// <summary>Baseline DCT.</summary>
    public const byte Sof0 = 0xC0;

    /// <summary>Extended sequential DCT, Huffman.</summary>
    public const byte Sof1 = 0xC1;

    /// <summary>Progressive DCT, Huffman.</summary>
    public const byte Sof2 = 0xC2;

    /// <summary>Lossless (sequential), Huffman.</summary>
    public const byte Sof3 = 0xC3;

    /// <summary>JPEG-LS start of frame.</summary>
    public const byte Sof55 = 0xF7;

    /// <summary>True for the start-of-frame markers of T.81 (C0–CF less DHT, JPG and DAC) and JPEG-LS's SOF55.</summary>
    public static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF and not Dht and not 0xC8 and not 0xCC || marker == Sof55;

    /// <summary>True for markers that stand alone without a length (RSTn, SOI, EOI, TEM).</summary>
    public static bool IsStandalone(byte marker) => marker is (>= 0xD0 and <= 0xD9) or 0x01;

    /// <summary>
    /// The first start-of-frame marker of a codestream that begins with SOI, or 0 when the header ends (SOS, EOI or the
    /// end of the data) without one.
    /// </summary>
    /// <exception cref="FormatException">When the data does not begin with SOI or a segment runs past the end.</exception>
    public static byte FindStartOfFrame(ReadOnlySpan<byte> data) => ReadFrameHeader(data).Marker;

    /// <summary>
    /// The first start-of-frame segment of a codestream that begins with SOI: its marker, sample precision, lines,
    /// samples per line and component count (T.81 B.2.2, T.87 C.2.2 share the layout); marker 0 when there is none.
    /// </summary>
    /// <exception cref="FormatException">When the data does not begin with SOI, or a segment is truncated.</exception>
    public static (byte Marker, int Precision, int Height, int Width, int Components) ReadFrameHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != Soi)
        {
            throw new FormatException("it does not begin with a JPEG SOI marker (FF D8)");
        }

        int at = 2;
        while (true)
        {
            (byte marker, int next) = Next(data, at);
            if (marker == 0 || marker == Sos || marker == Eoi)
            {
                return (0, 0, 0, 0, 0);
            }

            if (IsStartOfFrame(marker))
            {
                int code = at;
                while (data[code] == 0xFF)
                {
                    code++;
                }

                // The body follows the marker code and the 2-byte length: P, Y, X, Nf, then the components.
                ReadOnlySpan<byte> body = data[(code + 3)..next];
                if (body.Length < 6)
                {
                    throw new FormatException($"its {FrameName(marker)} segment is truncated");
                }

                return (marker, body[0], BinaryPrimitives.ReadUInt16BigEndian(body[1..]), BinaryPrimitives.ReadUInt16BigEndian(body[3..]), body[5]);
            }

            at = next;
        }
    }

    /// <summary>
    /// The marker at or after <paramref name="at"/> (fill bytes FF skipped) and the offset after its segment; marker 0
    /// at the end of the data.
    /// </summary>
    /// <exception cref="FormatException">When a segment's length runs past the end or no marker is where one must be.</exception>
    public static (byte Marker, int Next) Next(ReadOnlySpan<byte> data, int at)
    {
        if (at >= data.Length)
        {
            return (0, at);
        }

        if (data[at] != 0xFF)
        {
            throw new FormatException($"byte {at} is 0x{data[at]:X2} where a marker (FF xx) must start");
        }

        while (at < data.Length && data[at] == 0xFF)
        {
            at++;
        }

        if (at >= data.Length)
        {
            return (0, at);
        }

        byte marker = data[at++];
        if (IsStandalone(marker))
        {
            return (marker, at);
        }

        if (at + 2 > data.Length)
        {
            throw new FormatException($"the segment of marker FF {marker:X2} at byte {at - 2} has no length");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
        if (length < 2 || at + length > data.Length)
        {
            throw new FormatException($"the segment of marker FF {marker:X2} at byte {at - 2} claims {length} bytes; {data.Length - at} remain");
        }

        return (marker, at + length);
    }

    /// <summary>Name of a start-of-frame marker for messages (T.81 Table B.1).</summary>
    public static string FrameName(byte marker) => marker switch
    {
        0xC0 => "SOF0 (baseline DCT)",
        0xC1 => "SOF1 (extended sequential DCT)",
        0xC2 => "SOF2 (progressive DCT)",
        0xC3 => "SOF3 (lossless)",
        0xC5 => "SOF5 (differential sequential DCT, hierarchical)",
        0xC6 => "SOF6 (differential progressive DCT, hierarchical)",
        0xC7 => "SOF7 (differential lossless, hierarchical)",
        0xC9 => "SOF9 (extended sequential DCT, arithmetic coding)",
        0xCA => "SOF10 (progressive DCT, arithmetic coding)",
        0xCB => "SOF11 (lossless, arithmetic coding)",
        0xCD => "SOF13 (differential sequential DCT, arithmetic coding)",
        0xCE => "SOF14 (differential progressive DCT, arithmetic coding)",
        0xCF => "SOF15 (differential lossless, arithmetic coding)",
        0xF7 => "SOF55 (JPEG-LS)",
        _ => $"FF {marker:X2}",
    };
}
