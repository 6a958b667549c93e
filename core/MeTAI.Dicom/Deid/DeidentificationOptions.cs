namespace MeTAI.Dicom.Deid;

/// <summary>How a <see cref="Deidentifier"/> treats what the Basic Profile would otherwise remove or replace.</summary>
public sealed class DeidentificationOptions
{
    /// <summary>
    /// Secret that keys the UID mapping: a UID becomes <c>DicomUid.FromName(Key + "|" + uid)</c>, so the same key maps
    /// the same UID the same way in every file (references between objects keep resolving) and nobody without the key
    /// can map back. Default: a random key, new for each options object (one run).
    /// </summary>
    public string Key { get; init; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Retain Longitudinal Temporal Information with Full Dates Option (PS3.15 E.3.6): dates and times kept.</summary>
    public bool RetainDates { get; init; }

    /// <summary>Retain UIDs Option (PS3.15 E.3.9): UIDs kept as they are.</summary>
    public bool RetainUids { get; init; }

    /// <summary>Value written for Patient's Name (Z allows a dummy); empty for zero length.</summary>
    public string PatientName { get; init; } = string.Empty;

    /// <summary>Value written for Patient ID (Z allows a dummy); empty for zero length.</summary>
    public string PatientId { get; init; } = string.Empty;
}
