namespace MeTAI.Dicom.Cases;

/// <summary>
/// One DICOM object found by <see cref="CaseInventory"/>: where it is, and the identifiers that group it (patient,
/// study, series) and tie it to the others (frame of reference; for RT objects what they reference). Text values are
/// trimmed; missing ones are empty (or null for references).
/// </summary>
public sealed record CaseInstance
{
    /// <summary>The file on disk.</summary>
    public required string Path { get; init; }

    /// <summary>How listings and errors name it: the path relative to the scanned folder, or the zip entry.</summary>
    public required string Name { get; init; }

    /// <summary>SOP Class UID (0008,0016).</summary>
    public required string SopClassUid { get; init; }

    /// <summary>SOP Instance UID (0008,0018).</summary>
    public required string SopInstanceUid { get; init; }

    /// <summary>Modality (0008,0060).</summary>
    public string Modality { get; init; } = string.Empty;

    /// <summary>Patient ID (0010,0020).</summary>
    public string PatientId { get; init; } = string.Empty;

    /// <summary>Patient's Name (0010,0010).</summary>
    public string PatientName { get; init; } = string.Empty;

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string StudyInstanceUid { get; init; } = string.Empty;

    /// <summary>Study Date (0008,0020).</summary>
    public string StudyDate { get; init; } = string.Empty;

    /// <summary>Study Description (0008,1030).</summary>
    public string StudyDescription { get; init; } = string.Empty;

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid { get; init; } = string.Empty;

    /// <summary>Series Number (0020,0011), or null.</summary>
    public int? SeriesNumber { get; init; }

    /// <summary>Series Description (0008,103E).</summary>
    public string SeriesDescription { get; init; } = string.Empty;

    /// <summary>Frame of Reference UID (0020,0052); for an RTSTRUCT the one it references (3006,0010 or its ROIs' 3006,0024).</summary>
    public string FrameOfReferenceUid { get; init; } = string.Empty;

    /// <summary>Structure Set Label (3006,0002) or RT Plan Label (300A,0002); empty for other objects.</summary>
    public string Label { get; init; } = string.Empty;

    /// <summary>RTSTRUCT: Series Instance UID of the image series it was drawn on (RT Referenced Series Sequence), or null.</summary>
    public string? ReferencedSeriesUid { get; init; }

    /// <summary>RTPLAN: SOP Instance UID of its structure set (Referenced Structure Set Sequence), or null.</summary>
    public string? ReferencedStructureSetUid { get; init; }

    /// <summary>RTDOSE: SOP Instance UID of its plan (Referenced RT Plan Sequence), or null.</summary>
    public string? ReferencedPlanUid { get; init; }

    /// <summary>The registered name of the SOP class (e.g. "CT Image Storage"), or the UID.</summary>
    public string SopClassName => DicomUidRegistry.NameOf(SopClassUid) ?? SopClassUid;

    /// <summary>True for CT Image Storage.</summary>
    public bool IsCtImage => SopClassUid == DicomUid.CTImageStorage;

    /// <summary>True for RT Structure Set Storage.</summary>
    public bool IsStructureSet => SopClassUid == DicomUid.RTStructureSetStorage;

    /// <summary>True for RT Plan Storage.</summary>
    public bool IsPlan => SopClassUid == DicomUid.RTPlanStorage;

    /// <summary>True for RT Dose Storage.</summary>
    public bool IsDose => SopClassUid == DicomUid.RTDoseStorage;
}
