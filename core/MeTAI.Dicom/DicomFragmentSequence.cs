namespace MeTAI.Dicom;

/// <summary>
/// Encapsulated Pixel Data (PS3.5 §A.4): a Basic Offset Table item followed by fragments of compressed frames.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    /// <summary>An encapsulated pixel data element.</summary>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> basicOffsetTable, IEnumerable<ReadOnlyMemory<byte>> fragments)
        : base(tag, vr, ReadOnlyMemory<byte>.Empty)
    {
        ArgumentNullException.ThrowIfNull(fragments);
        BasicOffsetTable = basicOffsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>Raw bytes of the Basic Offset Table item (may be empty): 32-bit little-endian offsets.</summary>
    public ReadOnlyMemory<byte> BasicOffsetTable { get; }

    /// <summary>The fragments, in order.</summary>
    public List<ReadOnlyMemory<byte>> Fragments { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} encapsulated [{Fragments.Count} fragments]";
}
