namespace MeTAI.Dicom.Network;

/// <summary>
/// Identifiers of the Study Root Query/Retrieve Information Model (PS3.4 Annex C.6.2): matching keys with values and
/// return keys left empty. Patient IDs are matched exactly: wildcards (<c>*</c>, <c>?</c>) are refused, so that a query
/// or retrieve for one patient never turns into one for many.
/// </summary>
public static class QueryKeys
{
    /// <summary>Return keys of a STUDY-level query.</summary>
    public static IReadOnlyList<DicomTag> StudyReturnKeys { get; } =
    [
        DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber, DicomTags.ModalitiesInStudy, DicomTags.StudyDescription,
        DicomTags.PatientName, DicomTags.StudyID, DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances,
    ];

    /// <summary>Return keys of a SERIES-level query.</summary>
    public static IReadOnlyList<DicomTag> SeriesReturnKeys { get; } =
    [
        DicomTags.Modality, DicomTags.SeriesDescription, DicomTags.SeriesNumber, DicomTags.NumberOfSeriesRelatedInstances,
    ];

    /// <summary>The studies of <paramref name="patientId"/> (one study when <paramref name="studyInstanceUid"/> is given).</summary>
    /// <exception cref="ArgumentException">An empty patient ID, one with wildcards, or an invalid study UID.</exception>
    public static DicomDataset Studies(string patientId, string? studyInstanceUid = null)
    {
        var id = new DicomDataset();
        id.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        id.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, CheckPatientId(patientId));
        Empty(id, DicomTags.StudyInstanceUID);
        if (studyInstanceUid is not null)
        {
            id.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, CheckUid(studyInstanceUid));
        }

        foreach (DicomTag tag in StudyReturnKeys)
        {
            Empty(id, tag);
        }

        return id;
    }

    /// <summary>The series of study <paramref name="studyInstanceUid"/>.</summary>
    /// <exception cref="ArgumentException">An invalid study UID.</exception>
    public static DicomDataset Series(string studyInstanceUid)
    {
        var id = new DicomDataset();
        id.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, "SERIES");
        id.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, CheckUid(studyInstanceUid));
        Empty(id, DicomTags.SeriesInstanceUID);
        foreach (DicomTag tag in SeriesReturnKeys)
        {
            Empty(id, tag);
        }

        return id;
    }

    /// <summary>The C-MOVE/C-GET identifier of one study (STUDY level, its Study Instance UID).</summary>
    /// <exception cref="ArgumentException">An invalid study UID.</exception>
    public static DicomDataset RetrieveStudy(string studyInstanceUid)
    {
        var id = new DicomDataset();
        id.AddOrUpdate(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        id.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, CheckUid(studyInstanceUid));
        return id;
    }

    /// <summary>The patient ID, trimmed, when usable as an exact matching key.</summary>
    /// <exception cref="ArgumentException">Empty, longer than 64 characters, or with a wildcard or backslash.</exception>
    public static string CheckPatientId(string? patientId)
    {
        string id = patientId?.Trim() ?? string.Empty;
        if (id.Length is 0 or > 64 || id.IndexOfAny(['*', '?', '\\']) >= 0)
        {
            throw new ArgumentException($"patient ID '{patientId}' must be one ID of 1–64 characters, without wildcards (*, ?) or backslashes.");
        }

        return id;
    }

    private static string CheckUid(string uid) =>
        DicomUid.IsValid(uid) ? uid : throw new ArgumentException($"'{uid}' is not a valid Study Instance UID.");

    private static void Empty(DicomDataset id, DicomTag tag) =>
        id.AddOrUpdate(new DicomElement(tag, DicomDictionary.DefaultVR(tag), ReadOnlyMemory<byte>.Empty));
}
