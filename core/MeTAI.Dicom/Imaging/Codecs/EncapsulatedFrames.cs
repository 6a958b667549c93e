using System.Buffers.Binary;

namespace MeTAI.Dicom.Imaging.Codecs;

/// <summary>
/// Which fragments of encapsulated Pixel Data (PS3.5 §A.4) make each frame, in this order of trust:
/// <list type="number">
/// <item>the Extended Offset Table (7FE0,0001) with its lengths (7FE0,0002), when present;</item>
/// <item>the Basic Offset Table, when not empty;</item>
/// <item>one fragment per frame, when the counts agree, or every fragment for a single frame;</item>
/// <item>otherwise the fragments that begin a codestream (JPEG SOI, JPEG 2000 SOC) start the frames.</item>
/// </list>
/// Offsets count from the first byte of the first fragment's item tag, 8 header bytes per item. An offset that does not
/// fall on a fragment, or a count that does not match Number of Frames, is refused: frames are never guessed.
/// </summary>
internal sealed class EncapsulatedFrames
{
    private readonly List<ReadOnlyMemory<byte>> _fragments;
    private readonly (int First, int Count, long Length)[] _frames;

    private EncapsulatedFrames(List<ReadOnlyMemory<byte>> fragments, (int, int, long)[] frames)
    {
        _fragments = fragments;
        _frames = frames;
    }

    /// <summary>The frames of <paramref name="pixels"/>.</summary>
    /// <exception cref="DicomFormatException">When the offset tables or fragment counts do not give <paramref name="frameCount"/> frames.</exception>
    public static EncapsulatedFrames Split(DicomFragmentSequence pixels, int frameCount, DicomDataset dataset, IFrameDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(dataset);
        List<ReadOnlyMemory<byte>> fragments = pixels.Fragments;
        if (fragments.Count == 0)
        {
            throw Fail("encapsulated pixel data holds no fragments");
        }

        var itemStarts = new long[fragments.Count + 1];
        for (int i = 0; i < fragments.Count; i++)
        {
            itemStarts[i + 1] = itemStarts[i] + 8 + fragments[i].Length;
        }

        (int, int, long)[] frames;
        if (dataset.TryGetElement(DicomTags.ExtendedOffsetTable, out DicomElement eot) && eot.Length > 0)
        {
            frames = FromExtendedTable(eot, dataset, frameCount, itemStarts);
        }
        else if (pixels.BasicOffsetTable.Length > 0)
        {
            frames = FromBasicTable(pixels.BasicOffsetTable.Span, frameCount, itemStarts);
        }
        else if (fragments.Count == frameCount)
        {
            frames = [.. Enumerable.Range(0, frameCount).Select(i => (i, 1, -1L))];
        }
        else if (frameCount == 1)
        {
            frames = [(0, fragments.Count, -1L)];
        }
        else
        {
            frames = FromStartMarkers(fragments, frameCount, decoder);
        }

        return new EncapsulatedFrames(fragments, frames);
    }

    /// <summary>The number of frames.</summary>
    public int Count => _frames.Length;

    /// <summary>Compressed bytes of frame <paramref name="index"/> (its fragments joined, trimmed to the extended table's length).</summary>
    public long CompressedLength(int index)
    {
        (int first, int count, long length) = _frames[index];
        return length >= 0 ? length : CompressedLengthOfFragments(first, count);
    }

    /// <summary>The compressed bytes of frame <paramref name="index"/>: a slice of the file when the frame is one fragment, else a joined copy.</summary>
    public ReadOnlyMemory<byte> Frame(int index)
    {
        (int first, int count, long length) = _frames[index];
        ReadOnlyMemory<byte> data;
        if (count == 1)
        {
            data = _fragments[first];
        }
        else
        {
            var joined = new byte[CompressedLengthOfFragments(first, count)];
            int at = 0;
            for (int i = first; i < first + count; i++)
            {
                _fragments[i].Span.CopyTo(joined.AsSpan(at));
                at += _fragments[i].Length;
            }

            data = joined;
        }

        return length >= 0 ? data[..(int)length] : data;
    }

    private long CompressedLengthOfFragments(int first, int count)
    {
        long total = 0;
        for (int i = first; i < first + count; i++)
        {
            total += _fragments[i].Length;
        }

        return total;
    }

    private static (int, int, long)[] FromExtendedTable(DicomElement eot, DicomDataset dataset, int frameCount, long[] itemStarts)
    {
        ulong[] offsets = ReadUInt64s(eot, "Extended Offset Table (7FE0,0001)");
        if (offsets.Length != frameCount)
        {
            throw Fail($"the Extended Offset Table (7FE0,0001) has {offsets.Length} entries for {frameCount} frame(s) (Number of Frames)");
        }

        ulong[]? lengths = null;
        if (dataset.TryGetElement(DicomTags.ExtendedOffsetTableLengths, out DicomElement eotl) && eotl.Length > 0)
        {
            lengths = ReadUInt64s(eotl, "Extended Offset Table Lengths (7FE0,0002)");
            if (lengths.Length != frameCount)
            {
                throw Fail($"the Extended Offset Table Lengths (7FE0,0002) has {lengths.Length} entries for {frameCount} frame(s)");
            }
        }

        (int, int, long)[] frames = FromOffsets(offsets, itemStarts, "Extended Offset Table (7FE0,0001)");
        if (lengths is null)
        {
            return frames;
        }

        for (int f = 0; f < frames.Length; f++)
        {
            (int first, int count, _) = frames[f];
            long available = itemStarts[first + count] - itemStarts[first] - (8L * count);
            if (lengths[f] > (ulong)available)
            {
                throw Fail($"the Extended Offset Table Lengths (7FE0,0002) give frame {f} {lengths[f]} bytes; its fragments hold {available}");
            }

            frames[f] = (first, count, (long)lengths[f]);
        }

        return frames;
    }

    private static (int, int, long)[] FromBasicTable(ReadOnlySpan<byte> table, int frameCount, long[] itemStarts)
    {
        if (table.Length % 4 != 0)
        {
            throw Fail($"the Basic Offset Table has {table.Length} bytes, not a multiple of 4");
        }

        var offsets = new ulong[table.Length / 4];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = BinaryPrimitives.ReadUInt32LittleEndian(table[(4 * i)..]);
        }

        if (offsets.Length != frameCount)
        {
            throw Fail($"the Basic Offset Table has {offsets.Length} entries for {frameCount} frame(s) (Number of Frames)");
        }

        return FromOffsets(offsets, itemStarts, "Basic Offset Table");
    }

    private static (int, int, long)[] FromOffsets(ulong[] offsets, long[] itemStarts, string table)
    {
        var firsts = new int[offsets.Length];
        for (int f = 0; f < offsets.Length; f++)
        {
            int at = Array.BinarySearch(itemStarts, 0, itemStarts.Length - 1, offsets[f] > long.MaxValue ? long.MaxValue : (long)offsets[f]);
            if (at < 0)
            {
                throw Fail($"the {table} gives frame {f} offset {offsets[f]}, which is not the start of a fragment");
            }

            if (f > 0 && at <= firsts[f - 1])
            {
                throw Fail($"the {table} offsets are not increasing (frame {f} at {offsets[f]})");
            }

            firsts[f] = at;
        }

        if (firsts[0] != 0)
        {
            throw Fail($"the {table} starts frame 0 at offset {offsets[0]}, not at the first fragment");
        }

        int fragmentCount = itemStarts.Length - 1;
        var frames = new (int, int, long)[offsets.Length];
        for (int f = 0; f < frames.Length; f++)
        {
            int end = f + 1 < firsts.Length ? firsts[f + 1] : fragmentCount;
            frames[f] = (firsts[f], end - firsts[f], -1L);
        }

        return frames;
    }

    private static (int, int, long)[] FromStartMarkers(List<ReadOnlyMemory<byte>> fragments, int frameCount, IFrameDecoder decoder)
    {
        var starts = new List<int>();
        for (int i = 0; i < fragments.Count; i++)
        {
            if (decoder.IsFrameStart(fragments[i].Span))
            {
                starts.Add(i);
            }
        }

        if (starts.Count != frameCount || starts[0] != 0)
        {
            throw Fail($"{fragments.Count} fragments for {frameCount} frame(s), no offset table, and {starts.Count} fragment(s) that begin a codestream: the frames cannot be told apart");
        }

        var frames = new (int, int, long)[frameCount];
        for (int f = 0; f < frameCount; f++)
        {
            int end = f + 1 < frameCount ? starts[f + 1] : fragments.Count;
            frames[f] = (starts[f], end - starts[f], -1L);
        }

        return frames;
    }

    private static ulong[] ReadUInt64s(DicomElement e, string name)
    {
        ReadOnlySpan<byte> bytes = e.Value.Span;
        if (bytes.Length % 8 != 0)
        {
            throw Fail($"the {name} has {bytes.Length} bytes, not a multiple of 8");
        }

        var values = new ulong[bytes.Length / 8];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(8 * i)..]);
        }

        return values;
    }

    private static DicomFormatException Fail(string reason) => new(reason, -1, DicomTags.PixelData);
}
