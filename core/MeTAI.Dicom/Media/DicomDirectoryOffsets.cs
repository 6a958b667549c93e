using System.Buffers.Binary;

namespace MeTAI.Dicom.Media;

/// <summary>
/// Finds the byte offset of every item of the Directory Record Sequence (0004,1220) in a DICOMDIR's bytes. The records
/// point at one another by these offsets (PS3.3 F.3.2.2: from the first byte of the file's preamble to the first byte
/// of the item's tag), which the dataset model does not keep, so the file is walked once more here: Explicit VR Little
/// Endian elements (the only syntax PS3.10 §8.6 allows for a DICOMDIR), defined and undefined lengths, nested
/// sequences such as Icon Image Sequence (0088,0200), and UN of undefined length (whose items are implicit VR).
/// </summary>
internal static class DicomDirectoryOffsets
{
    private const uint Undefined = 0xFFFFFFFF;
    private const uint ItemTag = 0xFFFEE000;
    private const uint ItemDelimiter = 0xFFFEE00D;
    private const uint SequenceDelimiter = 0xFFFEE0DD;
    private const uint RecordSequenceTag = 0x00041220;
    private const int MaxDepth = 64;

    /// <summary>The offsets of the directory records, in sequence order; empty when the file has no record sequence.</summary>
    /// <exception cref="DicomFormatException">The bytes end inside an element or an item is malformed.</exception>
    public static List<long> RecordOffsets(ReadOnlySpan<byte> bytes)
    {
        int pos = bytes.Length >= 132 && bytes[128..132].SequenceEqual("DICM"u8) ? 132
            : bytes.Length >= 4 && bytes[..4].SequenceEqual("DICM"u8) ? 4 : 0;
        while (pos + 8 <= bytes.Length)
        {
            Header h = ReadHeader(bytes, pos, implicitVr: false);
            if (h.Tag == RecordSequenceTag)
            {
                return Items(bytes, pos + h.HeaderLength, h.Length, implicitVr: false);
            }

            pos = Skip(bytes, pos, implicitVr: false, depth: 0);
        }

        return [];
    }

    private readonly record struct Header(uint Tag, bool ItemsAreImplicit, uint Length, int HeaderLength);

    private static Header ReadHeader(ReadOnlySpan<byte> bytes, int pos, bool implicitVr)
    {
        Need(bytes, pos, 8);
        uint tag = (uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[pos..]) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(bytes[(pos + 2)..]);
        if (tag >> 16 == 0xFFFE || implicitVr)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(pos + 4)..]);
            return new Header(tag, true, length, 8);
        }

        char a = (char)bytes[pos + 4], b = (char)bytes[pos + 5];
        bool longForm = (a, b) is ('O', 'B' or 'D' or 'F' or 'L' or 'V' or 'W') or ('S', 'Q' or 'V') or ('U', 'C' or 'N' or 'R' or 'T' or 'V');
        if (longForm)
        {
            Need(bytes, pos, 12);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(pos + 8)..]);
            return new Header(tag, (a, b) == ('U', 'N'), length, 12);
        }

        return new Header(tag, false, BinaryPrimitives.ReadUInt16LittleEndian(bytes[(pos + 6)..]), 8);
    }

    /// <summary>The position after the element at <paramref name="pos"/>.</summary>
    private static int Skip(ReadOnlySpan<byte> bytes, int pos, bool implicitVr, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new DicomFormatException("DICOMDIR: sequences nested too deep", pos);
        }

        Header h = ReadHeader(bytes, pos, implicitVr);
        int start = pos + h.HeaderLength;
        if (h.Length != Undefined)
        {
            Need(bytes, start, h.Length);
            return start + (int)h.Length;
        }

        // Undefined length: a sequence (or encapsulated data) of items up to the Sequence Delimitation Item.
        bool inner = implicitVr || h.ItemsAreImplicit;
        int p = start;
        while (true)
        {
            Header item = ReadHeader(bytes, p, implicitVr: true);
            if (item.Tag == SequenceDelimiter)
            {
                return p + 8;
            }

            if (item.Tag != ItemTag)
            {
                throw new DicomFormatException($"DICOMDIR: expected an item tag (FFFE,E000), found ({item.Tag >> 16:X4},{item.Tag & 0xFFFF:X4})", p);
            }

            p = SkipItem(bytes, p, item, inner, depth + 1);
        }
    }

    private static int SkipItem(ReadOnlySpan<byte> bytes, int pos, Header item, bool implicitVr, int depth)
    {
        int p = pos + 8;
        if (item.Length != Undefined)
        {
            Need(bytes, p, item.Length);
            return p + (int)item.Length;
        }

        while (true)
        {
            Need(bytes, p, 8);
            uint tag = (uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[p..]) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(bytes[(p + 2)..]);
            if (tag == ItemDelimiter)
            {
                return p + 8;
            }

            p = Skip(bytes, p, implicitVr, depth);
        }
    }

    private static List<long> Items(ReadOnlySpan<byte> bytes, int start, uint length, bool implicitVr)
    {
        var offsets = new List<long>();
        int p = start;
        int end = length == Undefined ? int.MaxValue : start + (int)Math.Min(length, (uint)(bytes.Length - start));
        if (length != Undefined)
        {
            Need(bytes, start, length);
        }

        while (p < end)
        {
            Header item = ReadHeader(bytes, p, implicitVr: true);
            if (item.Tag == SequenceDelimiter && length == Undefined)
            {
                return offsets;
            }

            if (item.Tag != ItemTag)
            {
                throw new DicomFormatException($"DICOMDIR: Directory Record Sequence (0004,1220) holds ({item.Tag >> 16:X4},{item.Tag & 0xFFFF:X4}) where an item (FFFE,E000) belongs", p);
            }

            offsets.Add(p);
            p = SkipItem(bytes, p, item, implicitVr, 1);
        }

        return offsets;
    }

    private static void Need(ReadOnlySpan<byte> bytes, int pos, uint count)
    {
        if (pos < 0 || (long)pos + count > bytes.Length)
        {
            throw new DicomFormatException($"DICOMDIR: {count} bytes needed at byte offset {pos}, but the file ends at {bytes.Length} (truncated or corrupt)", pos);
        }
    }
}
