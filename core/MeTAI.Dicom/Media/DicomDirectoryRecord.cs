namespace MeTAI.Dicom.Media;

/// <summary>
/// One active record of a DICOMDIR (PS3.3 F.5): its type (PATIENT, STUDY, SERIES, IMAGE, RT STRUCTURE SET, RT PLAN,
/// RT DOSE, …), the file it references (Referenced File ID (0004,1500), relative to the DICOMDIR's folder) with the SOP
/// class, instance and transfer syntax the record says the file holds, the record's own attributes (Patient ID, Study
/// Instance UID, Series Instance UID, Modality … as the record type requires) and the records one level down.
/// </summary>
public sealed class DicomDirectoryRecord
{
    /// <summary>A record; <see cref="DicomDirectory.Read"/> builds them.</summary>
    public DicomDirectoryRecord(string recordType, long offsetBytes, DicomDataset dataset, IReadOnlyList<DicomDirectoryRecord> children)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(children);
        RecordType = recordType;
        OffsetBytes = offsetBytes;
        Dataset = dataset;
        Children = children;
    }

    /// <summary>Directory Record Type (0004,1430), e.g. PATIENT, STUDY, SERIES, IMAGE, RT STRUCTURE SET.</summary>
    public string RecordType { get; }

    /// <summary>Byte offset of the record's item in the DICOMDIR (what other records point at it with).</summary>
    public long OffsetBytes { get; }

    /// <summary>The record's item: its keys and the attributes the record type carries.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The active records of the lower-level directory entity this record points at.</summary>
    public IReadOnlyList<DicomDirectoryRecord> Children { get; }

    /// <summary>Referenced File ID (0004,1500): the path components of the file, empty when the record references none.</summary>
    public IReadOnlyList<string> FileId => Dataset.GetStrings(DicomTags.ReferencedFileID);

    /// <summary>Referenced SOP Class UID in File (0004,1510), or null.</summary>
    public string? ReferencedSopClassUid => Text(DicomTags.ReferencedSOPClassUIDInFile);

    /// <summary>Referenced SOP Instance UID in File (0004,1511), or null.</summary>
    public string? ReferencedSopInstanceUid => Text(DicomTags.ReferencedSOPInstanceUIDInFile);

    /// <summary>Referenced Transfer Syntax UID in File (0004,1512), or null.</summary>
    public string? ReferencedTransferSyntaxUid => Text(DicomTags.ReferencedTransferSyntaxUIDInFile);

    /// <summary>The File ID as a path relative to the DICOMDIR's folder ('/' between components).</summary>
    public string FileIdText => string.Join('/', FileId);

    /// <summary>"IMAGE record at byte 860" — how errors name the record.</summary>
    public override string ToString() => $"{RecordType} record at byte {OffsetBytes}";

    private string? Text(DicomTag tag) => Dataset.GetString(tag) is { Length: > 0 } s ? s : null;
}
