using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace MeTAI.Dicom.IO;

/// <summary>
/// Reads DICOM Part 10 files and raw datasets (PS3.10 §7, PS3.5 §7) from a byte buffer. A staged reader: preamble
/// and "DICM" → File Meta Information (always Explicit VR Little Endian) → dataset in the transfer syntax the meta
/// names (or one detected from the first element when there is no meta), element by element: tag → VR → length →
/// value. Values of little-endian input are slices of the input buffer (no copy); big-endian binary values are
/// copied and swapped to little-endian. Every malformation raises <see cref="DicomFormatException"/> with the byte
/// offset and tag; no length read from the input is trusted before it is checked against the bytes that remain.
/// </summary>
public sealed partial class DicomReader
{
    /// <summary>Sequences nested deeper than this are rejected (a guard against hostile input).</summary>
    public const int MaxSequenceDepth = 64;

    /// <summary>Data elements out of ascending tag order tolerated per dataset before the input is rejected.</summary>
    public const int MaxOutOfOrderElements = 1024;

    private const int PreambleLength = 128;
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly string? _filePath;
    private readonly string _where;
    private int _pos;

    private DicomReader(ReadOnlyMemory<byte> data, string? filePath, string where)
    {
        _data = data;
        _filePath = filePath;
        _where = where;
    }

    /// <summary>Reads a Part 10 file (or a raw dataset) held in memory; values may share <paramref name="data"/>.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="filePath">The file name to put in error messages, if any.</param>
    /// <exception cref="DicomFormatException">When the input is not a readable DICOM file or dataset.</exception>
    public static DicomFile Read(ReadOnlyMemory<byte> data, string? filePath = null)
    {
        try
        {
            return ReadCore(data, filePath);
        }
        catch (DicomFormatException ex) when (filePath is not null && ex.FilePath is null)
        {
            throw ex.WithFile(filePath);
        }
    }

    /// <summary>Reads a Part 10 file (or a raw dataset) from a stream, to its end.</summary>
    /// <exception cref="DicomFormatException">When the input is not a readable DICOM file or dataset.</exception>
    public static DicomFile Read(Stream stream, string? filePath = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining > Array.MaxLength)
            {
                throw new DicomFormatException($"input of {remaining} bytes is larger than this reader handles", 0, null, filePath);
            }

            bytes = new byte[remaining];
            stream.ReadExactly(bytes);
        }
        else
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }

        return Read(bytes, filePath);
    }

    /// <summary>
    /// Reads a dataset alone — no preamble, no File Meta Information — encoded in <paramref name="syntax"/>, e.g. a
    /// DIMSE command set (always Implicit VR Little Endian) or a data set received over the network in the transfer
    /// syntax of its presentation context.
    /// </summary>
    /// <param name="data">The encoded dataset; values may share it.</param>
    /// <param name="syntax">How it is encoded (deflated data is inflated first).</param>
    /// <exception cref="DicomFormatException">When the bytes are not a readable dataset.</exception>
    public static DicomDataset ReadDataset(ReadOnlyMemory<byte> data, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        var dataset = new DicomDataset();
        if (syntax.IsDeflated)
        {
            new DicomReader(Inflate(data, 0, null), null, "inflated dataset").ReadTopLevel(dataset, syntax);
        }
        else
        {
            new DicomReader(data, null, "file").ReadTopLevel(dataset, syntax);
        }

        return dataset;
    }

    /// <summary>Reads a Part 10 file (or a raw dataset) from disk.</summary>
    /// <exception cref="DicomFormatException">When the file is not a readable DICOM file or dataset.</exception>
    public static DicomFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Read(ReadAllBytes(path), path);
    }

    /// <summary>The whole file in a new array that is not zeroed first (the read overwrites every byte).</summary>
    private static byte[] ReadAllBytes(string path)
    {
        using Microsoft.Win32.SafeHandles.SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength)
        {
            throw new DicomFormatException($"file of {length} bytes is larger than this reader handles", 0, null, path);
        }

        byte[] bytes = GC.AllocateUninitializedArray<byte>((int)length);
        int total = 0;
        while (total < bytes.Length)
        {
            int n = RandomAccess.Read(handle, bytes.AsSpan(total), total);
            if (n == 0)
            {
                // The file shrank while being read: keep what is there; the parser reports the truncation.
                return bytes[..total];
            }

            total += n;
        }

        return bytes;
    }

    private static DicomFile ReadCore(ReadOnlyMemory<byte> data, string? filePath)
    {
        ReadOnlySpan<byte> span = data.Span;
        bool preamble = span.Length >= PreambleLength + 4 && span.Slice(PreambleLength, 4).SequenceEqual("DICM"u8);
        int start = preamble ? PreambleLength + 4 : 0;
        if (!preamble && span.Length >= 4 && span[..4].SequenceEqual("DICM"u8))
        {
            // "DICM" without the preamble: some writers drop the 128 bytes.
            start = 4;
        }

        var reader = new DicomReader(data, filePath, "file");
        reader._pos = start;
        var meta = new DicomDataset();
        if (reader.StartsWithMetaGroup())
        {
            reader.ReadFileMeta(meta);
        }

        string? tsUid = meta.GetString(DicomTags.TransferSyntaxUID);
        DicomTransferSyntax syntax;
        if (string.IsNullOrEmpty(tsUid))
        {
            // No Transfer Syntax UID (raw dataset or broken meta): tell from the first element, as pydicom does.
            syntax = reader.DetectSyntax();
        }
        else
        {
            syntax = DicomTransferSyntax.Lookup(tsUid);
        }

        var dataset = new DicomDataset();
        if (syntax.IsDeflated)
        {
            ReadOnlyMemory<byte> inflated = Inflate(data[reader._pos..], reader._pos, filePath);
            var inner = new DicomReader(inflated, filePath, "inflated dataset");
            inner.ReadTopLevel(dataset, syntax);
        }
        else
        {
            reader.ReadTopLevel(dataset, syntax);
        }

        return new DicomFile(meta, dataset, syntax) { HadPreamble = preamble };
    }

    private bool StartsWithMetaGroup()
    {
        ReadOnlySpan<byte> span = _data.Span;
        return span.Length - _pos >= 8 && BinaryPrimitives.ReadUInt16LittleEndian(span[_pos..]) == 0x0002;
    }

    /// <summary>
    /// Group 0002, read element by element while the group stays 0002: the group length is not trusted (it is often
    /// missing or wrong), exactly as tolerant readers do.
    /// </summary>
    private void ReadFileMeta(DicomDataset meta)
    {
        ReadOnlySpan<byte> span = _data.Span;
        // The meta is Explicit VR Little Endian by rule; a few writers put it in implicit VR, so look at the first VR.
        bool explicitVR = LooksLikeVR(span, _pos + 4);
        var syntax = new Syntax(explicitVR, BigEndian: false);
        while (_pos <= span.Length - 8 && BinaryPrimitives.ReadUInt16LittleEndian(span[_pos..]) == 0x0002)
        {
            ReadElement(meta, syntax, 0, span);
        }
    }

    private DicomTransferSyntax DetectSyntax()
    {
        ReadOnlySpan<byte> span = _data.Span;
        if (span.Length - _pos < 8)
        {
            return DicomTransferSyntax.ExplicitVRLittleEndian;
        }

        if (!LooksLikeVR(span, _pos + 4))
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        // Explicit VR. A big-endian group below 0x0100 reads as ≥ 0x0400 in little-endian order.
        ushort groupLe = BinaryPrimitives.ReadUInt16LittleEndian(span[_pos..]);
        return groupLe >= 0x0400 ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ExplicitVRLittleEndian;
    }

    private void ReadTopLevel(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ReadOnlySpan<byte> span = _data.Span;
        bool explicitVR = syntax.IsExplicitVR;
        if (span.Length - _pos >= 8)
        {
            // Some files say explicit and are implicit (or the reverse); trust the bytes of the first element.
            bool looksExplicit = LooksLikeVR(span, _pos + 4);
            if (looksExplicit != explicitVR && !syntax.IsBigEndian)
            {
                explicitVR = looksExplicit;
            }
        }

        var s = new Syntax(explicitVR, syntax.IsBigEndian) { Encapsulated = syntax.IsEncapsulated };
        ReadElements(dataset, span.Length, s, 0, itemUndefined: false);
    }

    private static ReadOnlyMemory<byte> Inflate(ReadOnlyMemory<byte> compressed, int offset, string? filePath)
    {
        try
        {
            using Stream input = MemoryMarshal.TryGetArray(compressed, out ArraySegment<byte> segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(compressed.ToArray(), writable: false);
            using var deflate = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(Math.Max(1024, compressed.Length * 4));
            deflate.CopyTo(output);
            return output.GetBuffer().AsMemory(0, (int)output.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new DicomFormatException("deflated dataset is not valid raw deflate data: " + ex.Message, offset, null, filePath, ex);
        }
        catch (IOException ex)
        {
            throw new DicomFormatException("deflated dataset could not be inflated: " + ex.Message, offset, null, filePath, ex);
        }
    }

    /// <summary>True when the two bytes at <paramref name="at"/> are the code of a known VR.</summary>
    private static bool LooksLikeVR(ReadOnlySpan<byte> span, int at) =>
        at <= span.Length - 2 && DicomVR.TryParse(span[at], span[at + 1], out _);

    private DicomFormatException Error(string reason, long offset, DicomTag? tag = null)
    {
        string text = _where == "file" ? reason : $"{reason} (in {_where})";
        return new DicomFormatException(text, offset, tag, _filePath);
    }

    /// <summary>How the current stretch of bytes is encoded.</summary>
    private readonly record struct Syntax(bool ExplicitVR, bool BigEndian)
    {
        /// <summary>True when undefined-length pixel data holds fragments (encapsulated transfer syntax).</summary>
        public bool Encapsulated { get; init; }
    }
}
