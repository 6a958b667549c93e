namespace MeTAI.Dicom.IO;

/// <summary>How <see cref="DicomWriter"/> encodes a file. Defaults suit new objects: strict UIDs, Explicit VR Little Endian.</summary>
public sealed class DicomWriteOptions
{
    /// <summary>The default options.</summary>
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>
    /// Transfer syntax of the dataset: Implicit VR Little Endian, Explicit VR Little Endian, Deflated Explicit VR Little
    /// Endian, or an encapsulated syntax when the dataset holds fragments. Null: Explicit VR Little Endian, or the
    /// file's own encapsulated syntax when its pixel data is fragments.
    /// </summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }

    /// <summary>
    /// Reject UI values that <see cref="DicomUid.IsValid"/> refuses (default true). Turn off only to re-encode foreign
    /// files whose UIDs are already broken (e.g. components with leading zeros), never for objects this system creates.
    /// </summary>
    public bool ValidateUids { get; init; } = true;
}
