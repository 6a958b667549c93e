using System.Globalization;
using MeTAI.Dicom.Media;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Dicom.Cases;

/// <summary>Builds <see cref="CaseInstance"/>s from datasets, and checks them against the DICOMDIR record that listed them.</summary>
internal static class CaseInstances
{
    public static CaseInstance From(DicomDataset ds, string path, string name, string sopClass, string sopInstance)
    {
        string frame = RtRead.String(ds, DicomTags.FrameOfReferenceUID) ?? string.Empty;
        string? referencedSeries = null;
        if (sopClass == DicomUid.RTStructureSetStorage)
        {
            DicomDataset? referenced = RtRead.FirstItem(ds, DicomTags.ReferencedFrameOfReferenceSequence);
            DicomDataset? study = referenced is null ? null : RtRead.FirstItem(referenced, DicomTags.RTReferencedStudySequence);
            DicomDataset? series = study is null ? null : RtRead.FirstItem(study, DicomTags.RTReferencedSeriesSequence);
            referencedSeries = series is null ? null : RtRead.String(series, DicomTags.SeriesInstanceUID);
            frame = (referenced is null ? null : RtRead.String(referenced, DicomTags.FrameOfReferenceUID))
                ?? ds.GetItems(DicomTags.StructureSetROISequence).Select(r => RtRead.String(r, DicomTags.ReferencedFrameOfReferenceUID)).FirstOrDefault(f => f is not null)
                ?? string.Empty;
        }

        return new CaseInstance
        {
            Path = path,
            Name = name,
            SopClassUid = sopClass,
            SopInstanceUid = sopInstance,
            Modality = RtRead.String(ds, DicomTags.Modality) ?? string.Empty,
            PatientId = RtRead.String(ds, DicomTags.PatientID) ?? string.Empty,
            PatientName = RtRead.String(ds, DicomTags.PatientName) ?? string.Empty,
            StudyInstanceUid = RtRead.String(ds, DicomTags.StudyInstanceUID) ?? string.Empty,
            StudyDate = RtRead.String(ds, DicomTags.StudyDate) ?? string.Empty,
            StudyDescription = RtRead.String(ds, DicomTags.StudyDescription) ?? string.Empty,
            SeriesInstanceUid = RtRead.String(ds, DicomTags.SeriesInstanceUID) ?? string.Empty,
            SeriesNumber = int.TryParse(RtRead.String(ds, DicomTags.SeriesNumber), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null,
            SeriesDescription = RtRead.String(ds, DicomTags.SeriesDescription) ?? string.Empty,
            FrameOfReferenceUid = frame,
            Label = RtRead.String(ds, sopClass == DicomUid.RTPlanStorage ? DicomTags.RTPlanLabel : DicomTags.StructureSetLabel) ?? string.Empty,
            ReferencedSeriesUid = referencedSeries,
            ReferencedStructureSetUid = sopClass == DicomUid.RTPlanStorage ? RtRead.ReferencedSopInstance(ds, DicomTags.ReferencedStructureSetSequence) : null,
            ReferencedPlanUid = sopClass == DicomUid.RTDoseStorage ? RtRead.ReferencedSopInstance(ds, DicomTags.ReferencedRTPlanSequence) : null,
        };
    }

    /// <summary>What differs between a file and the DICOMDIR record (and the records above it) that listed it, or null.</summary>
    public static string? RecordMismatch(CaseInstance instance, DicomDirectoryRecord record, IReadOnlyList<DicomDirectoryRecord> above)
    {
        if (record.ReferencedSopInstanceUid is { } uid && uid != instance.SopInstanceUid)
        {
            return $"says Referenced SOP Instance UID in File (0004,1511) {uid}, the file holds {instance.SopInstanceUid}";
        }

        if (record.ReferencedSopClassUid is { } cls && cls != instance.SopClassUid)
        {
            return $"says Referenced SOP Class UID in File (0004,1510) {cls}, the file holds {instance.SopClassUid}";
        }

        foreach (DicomDirectoryRecord r in above)
        {
            (DicomTag tag, string value)? key = r.RecordType switch
            {
                "PATIENT" => (DicomTags.PatientID, instance.PatientId),
                "STUDY" => (DicomTags.StudyInstanceUID, instance.StudyInstanceUid),
                "SERIES" => (DicomTags.SeriesInstanceUID, instance.SeriesInstanceUid),
                _ => null,
            };
            if (key is { } k && RtRead.String(r.Dataset, k.tag) is { } expected && k.value.Length > 0 && expected != k.value)
            {
                return $"is under the {r} with {DicomDictionary.NameOf(k.tag)} {k.tag} '{expected}', but the file has '{k.value}'";
            }
        }

        return null;
    }
}
