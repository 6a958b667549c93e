namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// A Huffman decoding table built from a DHT segment (T.81 §C, Annex F.2.2.3): canonical codes from the 16 code-length
/// counts, plus a 9-bit lookahead table so that most codes decode in one step.
/// </summary>
internal sealed class JpegHuffmanTable
{
    private const int LookaheadBits = 9;

    // Per code length l (1…16): the largest code of that length (−1 when none) and where its values start.
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valueOffset = new int[17];
    private readonly byte[] _values;

    // Lookahead: (length << 8) | value for codes of up to 9 bits, 0 when the next 9 bits start a longer code.
    private readonly ushort[] _lookahead = new ushort[1 << LookaheadBits];

    private JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int count = counts[length - 1];
            _valueOffset[length] = k - code;
            if (count == 0)
            {
                _maxCode[length] = -1;
            }
            else
            {
                for (int i = 0; i < count; i++, k++, code++)
                {
                    if (length <= LookaheadBits)
                    {
                        int shift = LookaheadBits - length;
                        for (int fill = 0; fill < 1 << shift; fill++)
                        {
                            _lookahead[(code << shift) | fill] = (ushort)((length << 8) | _values[k]);
                        }
                    }
                }

                _maxCode[length] = code - 1;
            }

            if (code > 1 << length)
            {
                throw new FormatException($"its Huffman table has more codes of length {length} than fit in {length} bits");
            }

            code <<= 1;
        }

        _maxCode[17] = int.MaxValue;
    }

    /// <summary>
    /// Reads one table from a DHT segment body at <paramref name="at"/>; returns it with its class (0 DC/lossless, 1 AC),
    /// its destination (0–3) and the offset after it.
    /// </summary>
    /// <exception cref="FormatException">When the table is truncated or its codes overflow.</exception>
    public static (JpegHuffmanTable Table, int Class, int Id, int Next) Read(ReadOnlySpan<byte> segment, int at)
    {
        if (at + 17 > segment.Length)
        {
            throw new FormatException("its DHT segment is truncated");
        }

        int tcTh = segment[at];
        ReadOnlySpan<byte> counts = segment.Slice(at + 1, 16);
        int total = 0;
        foreach (byte c in counts)
        {
            total += c;
        }

        if (total > 256 || at + 17 + total > segment.Length)
        {
            throw new FormatException($"its DHT segment lists {total} codes in {segment.Length - at - 17} bytes");
        }

        var table = new JpegHuffmanTable(counts, segment.Slice(at + 17, total));
        return (table, tcTh >> 4, tcTh & 0x0F, at + 17 + total);
    }

    /// <summary>Decodes one value (for lossless scans: the difference category SSSS, 0–16).</summary>
    /// <exception cref="FormatException">When the next 16 bits start no code of this table.</exception>
    public int Decode(ref JpegBitReader reader)
    {
        int peek = reader.Peek16();
        ushort entry = _lookahead[peek >> (16 - LookaheadBits)];
        if (entry != 0)
        {
            reader.Skip(entry >> 8);
            return entry & 0xFF;
        }

        for (int length = LookaheadBits + 1; length <= 16; length++)
        {
            int code = peek >> (16 - length);
            if (code <= _maxCode[length])
            {
                reader.Skip(length);
                return _values[code + _valueOffset[length]];
            }
        }

        throw new FormatException("its entropy-coded data holds a bit pattern that is no Huffman code of the table in use");
    }
}
