namespace MeTAI.Dicom;

/// <summary>
/// One data element: tag, VR and value bytes. Binary values are held little-endian whatever the file's byte order
/// (the reader swaps big-endian input); text is held as encoded in the file, padding included. Values read from a
/// little-endian file may share the file's buffer (no copy).
/// </summary>
public class DicomElement
{
    /// <summary>An element with the given value bytes.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(vr);
        Tag = tag;
        VR = vr;
        Value = value;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation.</summary>
    public DicomVR VR { get; }

    /// <summary>Value bytes (little-endian for binary VRs; encoded text for text VRs).</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Value length in bytes.</summary>
    public int Length => Value.Length;

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} [{Length} bytes]";
}
