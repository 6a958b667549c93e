namespace MeTAI.Dicom.Network;

/// <summary>A study a C-FIND found, with the series a SERIES-level C-FIND found in it.</summary>
/// <param name="Study">The STUDY-level match (Study Instance UID and the return keys of <see cref="QueryKeys.StudyReturnKeys"/>).</param>
/// <param name="Series">The SERIES-level matches (Series Instance UID and <see cref="QueryKeys.SeriesReturnKeys"/>).</param>
public sealed record StudyMatch(DicomDataset Study, IReadOnlyList<DicomDataset> Series);
