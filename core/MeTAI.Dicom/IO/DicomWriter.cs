using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MeTAI.Core.IO;

namespace MeTAI.Dicom.IO;

/// <summary>
/// Writes DICOM Part 10 files (PS3.10 §7): a zero preamble, "DICM", File Meta Information rebuilt from the dataset
/// with an exact (0002,0000) group length, then the dataset in Explicit VR Little Endian (or Implicit VR Little
/// Endian, Deflated Explicit VR Little Endian, or an encapsulated syntax whose fragments the dataset already holds).
/// Values are padded to even length; sequences and items get defined lengths (computed in a first pass), which
/// strict validators prefer; encapsulated pixel data uses undefined length with delimiters, as PS3.5 §A.4 requires.
/// Dataset group lengths (gggg,0000) other than 0002 are retired and are not written.
/// </summary>
public sealed class DicomWriter
{
    private const int PreambleLength = 128;
    private const uint UndefinedLength = 0xFFFFFFFF;

    private readonly bool _explicitVR;
    private readonly bool _meta;
    private readonly bool _validateUids;
    private readonly List<uint> _lengths = [];
    private int _nextLength;
    private byte[] _buffer = [];
    private int _pos;

    private DicomWriter(bool explicitVR, bool meta = false, bool validateUids = true)
    {
        _explicitVR = explicitVR;
        _meta = meta;
        _validateUids = validateUids;
    }

    /// <summary>
    /// The whole Part 10 file as bytes, in <see cref="DicomWriteOptions.TransferSyntax"/>, else Explicit VR Little Endian
    /// (or the file's own encapsulated syntax when its pixel data is fragments).
    /// </summary>
    /// <exception cref="DicomFormatException">When the dataset cannot be written: an invalid UID, a value too long for
    /// its VR's length field, a missing SOP Class/Instance UID, or pixel data that does not match the syntax.</exception>
    public static byte[] Write(DicomFile file, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        options ??= DicomWriteOptions.Default;
        DicomTransferSyntax syntax = ChooseSyntax(file, options.TransferSyntax);
        CheckPixelData(file.Dataset, syntax);
        DicomDataset meta = BuildFileMeta(file, syntax);

        byte[] metaBytes = Encode(meta, new DicomWriter(explicitVR: true, meta: true, validateUids: true));
        byte[] dataBytes = Encode(file.Dataset, new DicomWriter(syntax.IsExplicitVR, meta: false, options.ValidateUids));
        if (syntax.IsDeflated)
        {
            dataBytes = Deflate(dataBytes);
        }

        byte[] result = new byte[PreambleLength + 4 + metaBytes.Length + dataBytes.Length];
        "DICM"u8.CopyTo(result.AsSpan(PreambleLength));
        metaBytes.CopyTo(result, PreambleLength + 4);
        dataBytes.CopyTo(result, PreambleLength + 4 + metaBytes.Length);
        return result;
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically: to a temporary file in the same directory, flushed to
    /// disk, then renamed over the target, so the target is never half-written.
    /// </summary>
    /// <exception cref="DicomFormatException">When the dataset cannot be written (see <see cref="Write"/>).</exception>
    public static void Save(DicomFile file, string path, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes = Write(file, options);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>A dataset alone (no preamble or meta) in Explicit or Implicit VR Little Endian.</summary>
    /// <exception cref="DicomFormatException">When the dataset cannot be written (see <see cref="Write"/>).</exception>
    public static byte[] Encode(DicomDataset dataset, bool explicitVR)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Encode(dataset, new DicomWriter(explicitVR));
    }

    /// <summary>
    /// A dataset alone (no preamble or meta) in <see cref="DicomWriteOptions.TransferSyntax"/> (Explicit VR Little
    /// Endian when null): implicit or explicit VR little endian, deflated, or an encapsulated syntax when the pixel data
    /// is fragments — what a DIMSE data set carries over the network.
    /// </summary>
    /// <exception cref="DicomFormatException">When the dataset cannot be written (see <see cref="Write"/>).</exception>
    public static byte[] Encode(DicomDataset dataset, DicomWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        DicomTransferSyntax syntax = options.TransferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian;
        if (syntax.IsBigEndian)
        {
            throw new DicomFormatException("writing Explicit VR Big Endian (retired) is not supported", -1);
        }

        CheckPixelData(dataset, syntax);
        byte[] bytes = Encode(dataset, new DicomWriter(syntax.IsExplicitVR, meta: false, options.ValidateUids));
        return syntax.IsDeflated ? Deflate(bytes) : bytes;
    }

    /// <summary>
    /// The Part 10 header alone — 128 zero bytes, "DICM" and the File Meta Information — for a dataset in
    /// <paramref name="syntax"/> that follows it byte for byte (e.g. one received over the network and stored without
    /// decoding). <paramref name="fileMeta"/> holds Media Storage SOP Class and Instance UID and any optional meta
    /// elements after (0002,0013) (Source Application Entity Title, …); the rest is built as <see cref="Write"/> builds it.
    /// </summary>
    /// <exception cref="DicomFormatException">When a UID is missing or invalid.</exception>
    public static byte[] EncodeHeader(DicomDataset fileMeta, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(fileMeta);
        ArgumentNullException.ThrowIfNull(syntax);
        DicomDataset meta = BuildFileMeta(new DicomFile(fileMeta, new DicomDataset(), syntax), syntax);
        byte[] metaBytes = Encode(meta, new DicomWriter(explicitVR: true, meta: true, validateUids: true));
        byte[] result = new byte[PreambleLength + 4 + metaBytes.Length];
        "DICM"u8.CopyTo(result.AsSpan(PreambleLength));
        metaBytes.CopyTo(result, PreambleLength + 4);
        return result;
    }

    private static byte[] Encode(DicomDataset dataset, DicomWriter writer)
    {
        long total = writer.Measure(dataset);
        if (total > Array.MaxLength)
        {
            throw new DicomFormatException($"encoded dataset of {total} bytes is larger than one buffer", -1);
        }

        writer._buffer = new byte[total];
        writer.WriteDataset(dataset);
        return writer._buffer;
    }

    private static DicomTransferSyntax ChooseSyntax(DicomFile file, DicomTransferSyntax? requested)
    {
        if (requested is null)
        {
            // Explicit VR Little Endian unless the pixel data is encapsulated (then the fragments keep their syntax).
            return file.TransferSyntax.IsEncapsulated ? file.TransferSyntax : DicomTransferSyntax.ExplicitVRLittleEndian;
        }

        if (requested.IsBigEndian)
        {
            throw new DicomFormatException("writing Explicit VR Big Endian (retired) is not supported", -1);
        }

        return requested;
    }

    private static void CheckPixelData(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        if (!dataset.TryGetElement(DicomTags.PixelData, out DicomElement pixels))
        {
            return;
        }

        bool fragments = pixels is DicomFragmentSequence;
        if (syntax.IsEncapsulated && !fragments)
        {
            throw new DicomFormatException($"transfer syntax {syntax} needs encapsulated (fragmented) pixel data; the dataset holds native pixel data", -1, DicomTags.PixelData);
        }

        if (!syntax.IsEncapsulated && fragments)
        {
            throw new DicomFormatException($"the dataset holds encapsulated pixel data; it cannot be written as {syntax}", -1, DicomTags.PixelData);
        }
    }

    private static DicomDataset BuildFileMeta(DicomFile file, DicomTransferSyntax syntax)
    {
        var meta = new DicomDataset();
        foreach (DicomElement e in file.FileMetaInformation)
        {
            // Keep optional meta elements (Source AE Title, private information); the rest is rebuilt below.
            if (e.Tag.Group == 0x0002 && e.Tag.Element > 0x0013)
            {
                meta.AddOrUpdate(e);
            }
        }

        string sopClass = FirstOf(file, DicomTags.SOPClassUID, DicomTags.MediaStorageSOPClassUID);
        string sopInstance = FirstOf(file, DicomTags.SOPInstanceUID, DicomTags.MediaStorageSOPInstanceUID);
        meta.AddOrUpdate(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomUid.ImplementationClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomUid.ImplementationVersionName);

        var measure = new DicomWriter(explicitVR: true, meta: true);
        long groupLength = measure.Measure(meta);
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)groupLength);
        meta.AddOrUpdate(new DicomElement(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, length));
        return meta;
    }

    private static string FirstOf(DicomFile file, DicomTag datasetTag, DicomTag metaTag)
    {
        string value = UidText(file.Dataset, datasetTag);
        if (value.Length == 0)
        {
            value = UidText(file.FileMetaInformation, metaTag);
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new DicomFormatException($"cannot write a Part 10 file without {DicomDictionary.NameOf(datasetTag)} (needed for {DicomDictionary.NameOf(metaTag)})", -1, datasetTag);
        }

        return value;
    }

    /// <summary>A UI value as ASCII (UIDs never depend on the Specific Character Set).</summary>
    private static string UidText(DicomDataset dataset, DicomTag tag) =>
        dataset.TryGetElement(tag, out DicomElement e) && e is not DicomSequence
            ? Encoding.ASCII.GetString(e.Value.Span).TrimEnd('\0', ' ')
            : string.Empty;

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream(data.Length / 2 + 64);
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        if (output.Length % 2 == 1)
        {
            // PS3.5 A.5: the deflated bit stream is padded to an even length.
            output.WriteByte(0);
        }

        return output.ToArray();
    }

    // ---- pass 1: lengths -------------------------------------------------------------------------------------------

    /// <summary>The encoded length of a dataset; records sequence and item lengths in pre-order for pass 2.</summary>
    private long Measure(DicomDataset dataset)
    {
        long total = 0;
        foreach (DicomElement e in dataset)
        {
            if (IsWritten(e.Tag))
            {
                total += MeasureElement(e);
            }
        }

        return total;
    }

    private long MeasureElement(DicomElement e)
    {
        int header = _explicitVR && e.VR.Has32BitLength ? 12 : 8;
        switch (e)
        {
            case DicomSequence sequence:
            {
                int slot = _lengths.Count;
                _lengths.Add(0);
                long content = 0;
                foreach (DicomDataset item in sequence.Items)
                {
                    int itemSlot = _lengths.Count;
                    _lengths.Add(0);
                    long itemLength = Measure(item);
                    _lengths[itemSlot] = CheckLength(itemLength, e.Tag);
                    content += 8 + itemLength;
                }

                _lengths[slot] = CheckLength(content, e.Tag);
                return (_explicitVR ? 12 : 8) + content;
            }

            case DicomFragmentSequence fragments:
            {
                long content = 8 + Even(fragments.BasicOffsetTable.Length);
                foreach (ReadOnlyMemory<byte> f in fragments.Fragments)
                {
                    content += 8 + Even(f.Length);
                }

                return header + content + 8;
            }

            default:
            {
                int length = Even(e.Length);
                if (_explicitVR && !e.VR.Has32BitLength && length > 0xFFFE)
                {
                    throw new DicomFormatException($"value of {length} bytes does not fit the 16-bit length of VR {e.VR} ({DicomDictionary.NameOf(e.Tag)})", -1, e.Tag);
                }

                if (_validateUids && e.VR == DicomVR.UI)
                {
                    ValidateUids(e);
                }

                return header + length;
            }
        }
    }

    private static uint CheckLength(long length, DicomTag tag) =>
        length < UndefinedLength ? (uint)length : throw new DicomFormatException($"{DicomDictionary.NameOf(tag)} is too long for a 32-bit length", -1, tag);

    private static void ValidateUids(DicomElement e)
    {
        string text = Encoding.ASCII.GetString(e.Value.Span).TrimEnd('\0', ' ');
        if (text.Length == 0)
        {
            return;
        }

        foreach (string part in text.Split('\\'))
        {
            string uid = part.Trim(' ', '\0');
            if (uid.Length > 0 && !DicomUid.IsValid(uid))
            {
                throw new DicomFormatException($"invalid UID '{uid}' in {DicomDictionary.NameOf(e.Tag)} (digits and dots, no leading zeros, at most 64 characters)", -1, e.Tag);
            }
        }
    }

    private static int Even(int length) => length + (length & 1);

    private bool IsWritten(DicomTag tag)
    {
        // In a dataset, group lengths are retired (and would go stale after edits) and group 0002 belongs in the meta.
        return _meta || (tag.Group != 0x0002 && !tag.IsGroupLength);
    }

    // ---- pass 2: bytes ---------------------------------------------------------------------------------------------

    private void WriteDataset(DicomDataset dataset)
    {
        foreach (DicomElement e in dataset)
        {
            if (IsWritten(e.Tag))
            {
                WriteElement(e);
            }
        }
    }

    private void WriteElement(DicomElement e)
    {
        switch (e)
        {
            case DicomSequence sequence:
                WriteHeader(e.Tag, DicomVR.SQ, _lengths[_nextLength++]);
                foreach (DicomDataset item in sequence.Items)
                {
                    WriteTagAndLength(DicomTag.Item, _lengths[_nextLength++]);
                    WriteDataset(item);
                }

                return;

            case DicomFragmentSequence fragments:
                WriteHeader(e.Tag, e.VR == DicomVR.OW ? DicomVR.OW : DicomVR.OB, UndefinedLength);
                WriteFragment(fragments.BasicOffsetTable.Span);
                foreach (ReadOnlyMemory<byte> f in fragments.Fragments)
                {
                    WriteFragment(f.Span);
                }

                WriteTagAndLength(DicomTag.SequenceDelimitationItem, 0);
                return;

            default:
                ReadOnlySpan<byte> value = e.Value.Span;
                int length = Even(value.Length);
                WriteHeader(e.Tag, e.VR, (uint)length);
                value.CopyTo(_buffer.AsSpan(_pos));
                _pos += value.Length;
                if (length != value.Length)
                {
                    _buffer[_pos++] = e.VR.PaddingByte;
                }

                return;
        }
    }

    private void WriteFragment(ReadOnlySpan<byte> bytes)
    {
        int length = Even(bytes.Length);
        WriteTagAndLength(DicomTag.Item, (uint)length);
        bytes.CopyTo(_buffer.AsSpan(_pos));
        _pos += bytes.Length;
        if (length != bytes.Length)
        {
            _buffer[_pos++] = 0;
        }
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        Span<byte> b = _buffer.AsSpan(_pos);
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], tag.Element);
        if (!_explicitVR)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b[4..], length);
            _pos += 8;
            return;
        }

        b[4] = (byte)vr.Code[0];
        b[5] = (byte)vr.Code[1];
        if (vr.Has32BitLength)
        {
            b[6] = 0;
            b[7] = 0;
            BinaryPrimitives.WriteUInt32LittleEndian(b[8..], length);
            _pos += 12;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], (ushort)length);
            _pos += 8;
        }
    }

    private void WriteTagAndLength(DicomTag tag, uint length)
    {
        Span<byte> b = _buffer.AsSpan(_pos);
        BinaryPrimitives.WriteUInt16LittleEndian(b, tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(b[2..], tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], length);
        _pos += 8;
    }
}
