using System.Globalization;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Dicom.Rt;

/// <summary>
/// The Patient and General Study attributes every object of one study carries (PS3.3 C.7.1.1, C.7.2.1): who the
/// patient is and which study the CT, RTSTRUCT, RTPLAN and RTDOSE belong to. Dates are DICOM DA text (YYYYMMDD) and
/// times TM text (HHMMSS); empty strings are written as zero-length (Type 2) values.
/// </summary>
public sealed record RtPatientStudy
{
    /// <summary>Patient's Name (0010,0010), PN with '^' between components.</summary>
    public string PatientName { get; init; } = "Phantom^MeTAI";

    /// <summary>Patient ID (0010,0020).</summary>
    public string PatientId { get; init; } = "METAI-PHANTOM";

    /// <summary>Patient's Birth Date (0010,0030), DA or empty.</summary>
    public string PatientBirthDate { get; init; } = string.Empty;

    /// <summary>Patient's Sex (0010,0040): M, F, O or empty.</summary>
    public string PatientSex { get; init; } = "O";

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string StudyInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Study Date (0008,0020), DA or empty.</summary>
    public string StudyDate { get; init; } = string.Empty;

    /// <summary>Study Time (0008,0030), TM or empty.</summary>
    public string StudyTime { get; init; } = string.Empty;

    /// <summary>Study ID (0020,0010).</summary>
    public string StudyId { get; init; } = "1";

    /// <summary>Accession Number (0008,0050).</summary>
    public string AccessionNumber { get; init; } = string.Empty;

    /// <summary>Referring Physician's Name (0008,0090).</summary>
    public string ReferringPhysicianName { get; init; } = string.Empty;

    /// <summary>Study Description (0008,1030), or empty.</summary>
    public string StudyDescription { get; init; } = string.Empty;

    /// <summary>A new study (fresh Study Instance UID) dated now, for the given patient.</summary>
    public static RtPatientStudy Create(string patientName, string patientId, DateTime? now = null)
    {
        DateTime t = now ?? DateTime.Now;
        return new RtPatientStudy
        {
            PatientName = patientName,
            PatientId = patientId,
            StudyDate = t.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            StudyTime = t.ToString("HHmmss", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Reads the patient and study attributes of a dataset; a missing Study Instance UID is an error.</summary>
    public static RtPatientStudy FromDataset(DicomDataset dataset, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new RtPatientStudy
        {
            PatientName = RtRead.String(dataset, DicomTags.PatientName) ?? string.Empty,
            PatientId = RtRead.String(dataset, DicomTags.PatientID) ?? string.Empty,
            PatientBirthDate = RtRead.String(dataset, DicomTags.PatientBirthDate) ?? string.Empty,
            PatientSex = RtRead.String(dataset, DicomTags.PatientSex) ?? string.Empty,
            StudyInstanceUid = RtRead.RequiredString(dataset, DicomTags.StudyInstanceUID, source),
            StudyDate = RtRead.String(dataset, DicomTags.StudyDate) ?? string.Empty,
            StudyTime = RtRead.String(dataset, DicomTags.StudyTime) ?? string.Empty,
            StudyId = RtRead.String(dataset, DicomTags.StudyID) ?? string.Empty,
            AccessionNumber = RtRead.String(dataset, DicomTags.AccessionNumber) ?? string.Empty,
            ReferringPhysicianName = RtRead.String(dataset, DicomTags.ReferringPhysicianName) ?? string.Empty,
            StudyDescription = RtRead.String(dataset, DicomTags.StudyDescription) ?? string.Empty,
        };
    }

    /// <summary>Writes the Patient and General Study module attributes into <paramref name="dataset"/>.</summary>
    public void WriteTo(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        dataset.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, PatientName);
        dataset.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, PatientId);
        dataset.AddOrUpdate(DicomTags.PatientBirthDate, DicomVR.DA, PatientBirthDate);
        dataset.AddOrUpdate(DicomTags.PatientSex, DicomVR.CS, PatientSex);
        dataset.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, StudyInstanceUid);
        dataset.AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, StudyDate);
        dataset.AddOrUpdate(DicomTags.StudyTime, DicomVR.TM, StudyTime);
        dataset.AddOrUpdate(DicomTags.StudyID, DicomVR.SH, StudyId);
        dataset.AddOrUpdate(DicomTags.AccessionNumber, DicomVR.SH, AccessionNumber);
        dataset.AddOrUpdate(DicomTags.ReferringPhysicianName, DicomVR.PN, ReferringPhysicianName);
        if (StudyDescription.Length > 0)
        {
            dataset.AddOrUpdate(DicomTags.StudyDescription, DicomVR.LO, StudyDescription);
        }
    }
}
