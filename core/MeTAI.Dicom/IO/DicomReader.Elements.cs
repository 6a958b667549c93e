using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace MeTAI.Dicom.IO;

/// <summary>The element stage of the reader: tag → VR → length → value, sequences and fragments.</summary>
public sealed partial class DicomReader
{
    private static readonly DicomTag PixelRepresentation = DicomTags.PixelRepresentation;

    /// <summary>
    /// Reads elements into <paramref name="dataset"/> until <paramref name="end"/> or, for an item of undefined length,
    /// its Item Delimitation Item.
    /// </summary>
    private void ReadElements(DicomDataset dataset, int end, Syntax syntax, int depth, bool itemUndefined)
    {
        ReadOnlySpan<byte> span = _data.Span;
        uint last = 0;
        int outOfOrder = 0;
        while (_pos < end)
        {
            if (end - _pos < 8)
            {
                throw Error($"element header needs 8 bytes, {end - _pos} remain", _pos);
            }

            DicomTag tag = ReadTag(span, _pos, syntax.BigEndian);
            if (tag.Group == 0xFFFE)
            {
                if (tag == DicomTag.ItemDelimitationItem && (itemUndefined || depth > 0))
                {
                    // A delimiter closes an undefined-length item; one inside a defined-length item is tolerated.
                    _pos += 8;
                    return;
                }

                throw Error($"unexpected {Describe(tag)} among data elements", _pos, tag);
            }

            if (tag.Value <= last && dataset.Count > 0 && ++outOfOrder > MaxOutOfOrderElements)
            {
                // Elements must ascend (PS3.5 §7.1); a few strays are tolerated, but each costs a sorted insert, so a
                // flood of them (hostile input) would make reading quadratic.
                throw Error($"more than {MaxOutOfOrderElements} data elements out of tag order", _pos, tag);
            }

            last = tag.Value;
            ReadElement(dataset, syntax, depth, span);
            if (_pos > end)
            {
                throw Error("data element runs past the end of its item", _pos, tag);
            }
        }

        if (itemUndefined)
        {
            throw Error("item of undefined length has no Item Delimitation Item before the end of the data", _pos);
        }
    }

    private void ReadElement(DicomDataset dataset, Syntax syntax, int depth, ReadOnlySpan<byte> span)
    {
        int start = _pos;
        DicomTag tag = ReadTag(span, _pos, syntax.BigEndian);
        DicomVR vr;
        uint length;
        if (syntax.ExplicitVR)
        {
            byte v0 = span[_pos + 4], v1 = span[_pos + 5];
            if (DicomVR.TryParse(v0, v1, out vr))
            {
                if (vr.Has32BitLength)
                {
                    length = ReadLongLength(span, start, tag, syntax.BigEndian);
                    _pos += 12;
                }
                else
                {
                    length = syntax.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span[(_pos + 6)..]) : BinaryPrimitives.ReadUInt16LittleEndian(span[(_pos + 6)..]);
                    _pos += 8;
                }
            }
            else if (v0 is >= (byte)'A' and <= (byte)'Z' && v1 is >= (byte)'A' and <= (byte)'Z')
            {
                // A VR this codec does not know: PS3.5 §6.2 gives new VRs the 32-bit length form; keep bytes as UN.
                vr = DicomVR.UN;
                length = ReadLongLength(span, start, tag, syntax.BigEndian);
                _pos += 12;
            }
            else
            {
                throw Error($"invalid VR bytes 0x{v0:X2} 0x{v1:X2} in an explicit VR dataset", start + 4, tag);
            }

            if (vr == DicomVR.UN && tag.IsPrivateCreator && length != UndefinedLength)
            {
                // Private Creator elements are always LO (PS3.5 §7.8.1), whatever a converter wrote.
                vr = DicomVR.LO;
            }
            else if (vr == DicomVR.UN && !tag.IsPrivate && length != UndefinedLength)
            {
                // A public element written as UN (e.g. by a converter that did not know it): PS3.5 §6.2.2 says
                // its value is in Implicit VR Little Endian, so the dictionary VR applies.
                vr = KnownVRForUN(tag, vr);
            }
        }
        else
        {
            length = syntax.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[(_pos + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[(_pos + 4)..]);
            _pos += 8;
            vr = ImplicitVR(tag, dataset, length);
        }

        if (length == UndefinedLength)
        {
            ReadUndefinedLength(dataset, tag, vr, syntax, depth, start, span);
            return;
        }

        if (length > (uint)(span.Length - _pos))
        {
            throw Error($"value length {length} exceeds the {span.Length - _pos} bytes that remain (truncated or corrupt)", start, tag);
        }

        int len = (int)length;
        if (vr == DicomVR.SQ)
        {
            // Sequences read as UN that the dictionary calls SQ are Implicit VR Little Endian inside (§6.2.2).
            Syntax inner = syntax.ExplicitVR && !IsExplicitSQ(span, start) ? new Syntax(false, false) : syntax;
            ReadSequence(dataset, tag, _pos + len, defined: true, inner, depth, start);
            return;
        }

        ReadOnlyMemory<byte> value = _data.Slice(_pos, len);
        // Values of elements written as UN are little-endian whatever the file's byte order.
        bool writtenAsUN = syntax.ExplicitVR && span[start + 4] == (byte)'U' && span[start + 5] == (byte)'N';
        if (syntax.BigEndian && !writtenAsUN && SwapUnit(vr) > 1)
        {
            value = SwapCopy(value.Span, tag == DicomTags.PixelData ? PixelCellSize(dataset) : SwapUnit(vr));
        }

        _pos += len;
        dataset.AddOrUpdate(new DicomElement(tag, vr, value));
    }

    private uint ReadLongLength(ReadOnlySpan<byte> span, int start, DicomTag tag, bool bigEndian)
    {
        if (span.Length - start < 12)
        {
            throw Error("explicit VR element header needs 12 bytes", start, tag);
        }

        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[(start + 8)..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[(start + 8)..]);
    }

    private static bool IsExplicitSQ(ReadOnlySpan<byte> span, int start) => span[start + 4] == (byte)'S' && span[start + 5] == (byte)'Q';

    private void ReadUndefinedLength(DicomDataset dataset, DicomTag tag, DicomVR vr, Syntax syntax, int depth, int start, ReadOnlySpan<byte> span)
    {
        if (vr == DicomVR.SQ)
        {
            ReadSequence(dataset, tag, span.Length, defined: false, syntax, depth, start);
            return;
        }

        if (tag == DicomTags.PixelData)
        {
            ReadFragments(dataset, tag, vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB, syntax, start, span);
            return;
        }

        if (vr == DicomVR.UN)
        {
            // PS3.5 §6.2.2: UN of undefined length is a sequence encoded in Implicit VR Little Endian.
            ReadSequence(dataset, tag, span.Length, defined: false, new Syntax(false, false), depth, start);
            return;
        }

        // Any other element of undefined length: its value runs to a Sequence Delimitation Item.
        ReadOnlySpan<byte> delimiter = syntax.BigEndian ? [0xFF, 0xFE, 0xE0, 0xDD] : [0xFE, 0xFF, 0xDD, 0xE0];
        int found = span[_pos..].IndexOf(delimiter);
        if (found < 0 || span.Length - (_pos + found) < 8)
        {
            throw Error("value of undefined length has no Sequence Delimitation Item", start, tag);
        }

        ReadOnlyMemory<byte> value = _data.Slice(_pos, found);
        if (syntax.BigEndian && SwapUnit(vr) > 1)
        {
            value = SwapCopy(value.Span, SwapUnit(vr));
        }

        _pos += found + 8;
        dataset.AddOrUpdate(new DicomElement(tag, vr, value));
    }

    private void ReadSequence(DicomDataset dataset, DicomTag tag, int end, bool defined, Syntax syntax, int depth, int start)
    {
        if (depth >= MaxSequenceDepth)
        {
            throw Error($"sequences nested deeper than {MaxSequenceDepth} levels", start, tag);
        }

        ReadOnlySpan<byte> span = _data.Span;
        var sequence = new DicomSequence(tag);
        dataset.AddOrUpdate(sequence);
        while (true)
        {
            if (defined && _pos >= end)
            {
                break;
            }

            int itemStart = _pos;
            if (end - _pos < 8)
            {
                throw Error(defined ? "item header needs 8 bytes before the end of the sequence" : "sequence of undefined length has no Sequence Delimitation Item before the end of the data", _pos, tag);
            }

            DicomTag itemTag = ReadTag(span, _pos, syntax.BigEndian);
            uint itemLength = syntax.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[(_pos + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[(_pos + 4)..]);
            _pos += 8;
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (defined)
                {
                    throw Error("Sequence Delimitation Item inside a sequence of defined length", itemStart, tag);
                }

                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw Error($"expected an Item (FFFE,E000) in the sequence, found {Describe(itemTag)}", itemStart, tag);
            }

            var item = new DicomDataset { Parent = dataset };
            sequence.Items.Add(item);
            if (itemLength == UndefinedLength)
            {
                ReadElements(item, end, syntax, depth + 1, itemUndefined: true);
            }
            else
            {
                if (itemLength > (uint)(end - _pos))
                {
                    throw Error($"item length {itemLength} exceeds the {end - _pos} bytes that remain in the sequence", itemStart, tag);
                }

                int itemEnd = _pos + (int)itemLength;
                ReadElements(item, itemEnd, syntax, depth + 1, itemUndefined: false);
                _pos = itemEnd;
            }
        }
    }

    private void ReadFragments(DicomDataset dataset, DicomTag tag, DicomVR vr, Syntax syntax, int start, ReadOnlySpan<byte> span)
    {
        ReadOnlyMemory<byte> offsetTable = ReadOnlyMemory<byte>.Empty;
        var fragments = new List<ReadOnlyMemory<byte>>();
        bool first = true;
        while (true)
        {
            int itemStart = _pos;
            if (span.Length - _pos < 8)
            {
                throw Error("encapsulated pixel data has no Sequence Delimitation Item before the end of the data", _pos, tag);
            }

            DicomTag itemTag = ReadTag(span, _pos, syntax.BigEndian);
            uint itemLength = syntax.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span[(_pos + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(span[(_pos + 4)..]);
            _pos += 8;
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item)
            {
                throw Error($"expected a fragment Item (FFFE,E000) in encapsulated pixel data, found {Describe(itemTag)}", itemStart, tag);
            }

            if (itemLength > (uint)(span.Length - _pos))
            {
                throw Error($"fragment length {itemLength} exceeds the {span.Length - _pos} bytes that remain", itemStart, tag);
            }

            ReadOnlyMemory<byte> bytes = _data.Slice(_pos, (int)itemLength);
            _pos += (int)itemLength;
            if (first)
            {
                offsetTable = bytes;
                first = false;
            }
            else
            {
                fragments.Add(bytes);
            }
        }

        if (first)
        {
            throw Error("encapsulated pixel data has no Basic Offset Table item", start, tag);
        }

        dataset.AddOrUpdate(new DicomFragmentSequence(tag, vr, offsetTable, fragments));
    }

    /// <summary>The VR of an implicit-VR element: the dictionary's, with ambiguous VRs resolved from context (PS3.5 Annex A.1).</summary>
    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset dataset, uint length)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }

        if (tag.IsPrivate)
        {
            // Private creators are LO; other private elements are unknown here (UN, or a sequence when undefined).
            return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN;
        }

        DicomDictionary.Entry? entry = DicomDictionary.Lookup(tag);
        if (entry is null || entry.VRs.Count == 0)
        {
            return DicomVR.UN;
        }

        IReadOnlyList<DicomVR> vrs = entry.VRs;
        if (vrs.Count == 1)
        {
            return vrs[0];
        }

        if (tag == DicomTags.PixelData)
        {
            // Native pixel data in implicit VR is OW (Annex A.1); undefined length means fragments (OB).
            return length == UndefinedLength ? DicomVR.OB : DicomVR.OW;
        }

        if (vrs.Contains(DicomVR.US) && vrs.Contains(DicomVR.SS) && !vrs.Contains(DicomVR.OW))
        {
            return SignedPixels(dataset) ? DicomVR.SS : DicomVR.US;
        }

        // "OB or OW", "US or OW", "US or SS or OW": implicit VR encodes these as OW (Annex A.1).
        return vrs.Contains(DicomVR.OW) ? DicomVR.OW : vrs[0];
    }

    /// <summary>Pixel Representation (0028,0103) of this dataset or the nearest enclosing one is 1 (signed).</summary>
    private static bool SignedPixels(DicomDataset dataset)
    {
        for (DicomDataset? d = dataset; d is not null; d = d.Parent)
        {
            if (d.TryGetElement(PixelRepresentation, out DicomElement e))
            {
                return e.Length >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(e.Value.Span) == 1;
            }
        }

        return false;
    }

    /// <summary>
    /// The swap unit of big-endian native pixel data: the pixel cell (Bits Allocated) when wider than 16 bits, as
    /// dcmtk and pydicom read 32-bit cells, else the 16-bit OW word.
    /// </summary>
    private static int PixelCellSize(DicomDataset dataset)
    {
        if (dataset.TryGetElement(DicomTags.BitsAllocated, out DicomElement e) && e.Length >= 2)
        {
            int bits = BinaryPrimitives.ReadUInt16LittleEndian(e.Value.Span);
            if (bits is 32 or 64)
            {
                return bits / 8;
            }
        }

        return 2;
    }

    private static DicomVR KnownVRForUN(DicomTag tag, DicomVR vr)
    {
        DicomDictionary.Entry? entry = DicomDictionary.Lookup(tag);
        return entry is { VRs.Count: 1 } ? entry.VRs[0] : vr;
    }

    /// <summary>The byte-swap unit of a VR: 2 for AT (two 16-bit halves), the value size for numbers, 1 for bytes and text.</summary>
    private static int SwapUnit(DicomVR vr) =>
        vr.Kind switch
        {
            DicomVR.VRKind.Binary => vr == DicomVR.AT ? 2 : vr.UnitSize,
            DicomVR.VRKind.Bulk => vr.UnitSize,
            _ => 1,
        };

    /// <summary>A little-endian copy of big-endian values of <paramref name="unit"/> bytes (a trailing partial value is kept as is).</summary>
    internal static byte[] SwapCopy(ReadOnlySpan<byte> source, int unit)
    {
        byte[] copy = source.ToArray();
        int whole = copy.Length / unit;
        switch (unit)
        {
            case 2:
                Span<ushort> u16 = MemoryMarshal.Cast<byte, ushort>(copy.AsSpan(0, whole * 2));
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                Span<uint> u32 = MemoryMarshal.Cast<byte, uint>(copy.AsSpan(0, whole * 4));
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                Span<ulong> u64 = MemoryMarshal.Cast<byte, ulong>(copy.AsSpan(0, whole * 8));
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }

        return copy;
    }

    private static DicomTag ReadTag(ReadOnlySpan<byte> span, int at, bool bigEndian) =>
        bigEndian
            ? new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(span[at..]), BinaryPrimitives.ReadUInt16BigEndian(span[(at + 2)..]))
            : new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[at..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(at + 2)..]));

    private static string Describe(DicomTag tag) =>
        tag == DicomTag.Item ? "Item (FFFE,E000)"
        : tag == DicomTag.ItemDelimitationItem ? "Item Delimitation Item (FFFE,E00D)"
        : tag == DicomTag.SequenceDelimitationItem ? "Sequence Delimitation Item (FFFE,E0DD)"
        : $"tag {tag}";
}
