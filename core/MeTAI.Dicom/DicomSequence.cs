namespace MeTAI.Dicom;

/// <summary>A sequence element (VR SQ): an ordered list of item datasets.</summary>
public sealed class DicomSequence : DicomElement
{
    /// <summary>A sequence holding <paramref name="items"/>.</summary>
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null)
        : base(tag, DicomVR.SQ, ReadOnlyMemory<byte>.Empty)
    {
        Items = items is null ? [] : [.. items];
    }

    /// <summary>The items, in order.</summary>
    public List<DicomDataset> Items { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Tag} SQ [{Items.Count} items]";
}
