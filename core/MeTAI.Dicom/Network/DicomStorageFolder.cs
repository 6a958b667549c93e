using MeTAI.Core.IO;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Network;

/// <summary>
/// Where received SOP instances go: one folder per study (named by its Study Instance UID), laid out as a case the
/// planner reads — CT slices in <c>ct/CT.&lt;SOP Instance UID&gt;.dcm</c>, MR in <c>mr/MR.…</c>, PET in <c>pt/PT.…</c>,
/// the first RT Structure Set, Plan and Dose as <c>rtstruct.dcm</c>, <c>rtplan.dcm</c>, <c>rtdose.dcm</c> and any further
/// one as <c>RS.…</c>, <c>RP.…</c>, <c>RD.…</c>. A data set is spooled into <c>.incoming/</c> while it arrives, then
/// placed whole through <see cref="AtomicFile"/>: a study folder never holds part of an object. The same instance
/// received again replaces its file.
/// </summary>
public sealed class DicomStorageFolder
{
    /// <summary>The folder under <see cref="Root"/> where data sets are spooled while they arrive.</summary>
    public const string SpoolDirectoryName = ".incoming";

    private readonly Lock _place = new();

    /// <summary>A storage folder at <paramref name="root"/> (created when missing).</summary>
    public DicomStorageFolder(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(SpoolDirectory);
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>The spool folder.</summary>
    public string SpoolDirectory => Path.Combine(Root, SpoolDirectoryName);

    /// <summary>A new spool file name (a dot file, so that readers of the folder skip it).</summary>
    public string NewSpoolFile() => Path.Combine(SpoolDirectory, $".{Guid.NewGuid():N}.part");

    /// <summary>Removes spool files an earlier run left behind (a crash mid-object); returns how many.</summary>
    public int RemoveSpoolLeftovers()
    {
        int n = 0;
        foreach (string f in Directory.EnumerateFiles(SpoolDirectory, ".*.part"))
        {
            File.Delete(f);
            n++;
        }

        return n;
    }

    /// <summary>The study folder of <paramref name="studyInstanceUid"/>.</summary>
    public string StudyDirectory(string studyInstanceUid) => Path.Combine(Root, CheckUid(studyInstanceUid, "Study Instance UID"));

    /// <summary>A short name for a SOP class: CT, MR, PT, RTSTRUCT, RTPLAN, RTDOSE, else its registered keyword or the UID.</summary>
    public static string KindOf(string sopClassUid) => sopClassUid switch
    {
        DicomUid.CTImageStorage => "CT",
        DicomNetworkUids.MRImageStorage => "MR",
        DicomNetworkUids.PetImageStorage => "PT",
        DicomUid.RTStructureSetStorage => "RTSTRUCT",
        DicomUid.RTPlanStorage => "RTPLAN",
        DicomUid.RTDoseStorage => "RTDOSE",
        _ => DicomUidRegistry.KeywordOf(sopClassUid) ?? sopClassUid,
    };

    /// <summary>
    /// Moves a complete spooled Part 10 file to its place in the study folder (atomically: the target is the old file
    /// or the whole new one) and returns the path.
    /// </summary>
    /// <exception cref="ArgumentException">A UID that is not a valid UID (it would make an unsafe file name).</exception>
    public string Place(string spoolFile, string sopClassUid, string sopInstanceUid, string studyInstanceUid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolFile);
        string study = StudyDirectory(studyInstanceUid);
        string instance = CheckUid(sopInstanceUid, "SOP Instance UID");
        lock (_place)
        {
            string target = Target(study, sopClassUid, instance);
            AtomicFile.WriteVia(target, temp => File.Move(spoolFile, temp));
            return target;
        }
    }

    private static string Target(string study, string sopClassUid, string instance) => sopClassUid switch
    {
        DicomUid.CTImageStorage => Path.Combine(study, RtStudyWriter.CtDirectory, $"CT.{instance}.dcm"),
        DicomNetworkUids.MRImageStorage => Path.Combine(study, "mr", $"MR.{instance}.dcm"),
        DicomNetworkUids.PetImageStorage => Path.Combine(study, "pt", $"PT.{instance}.dcm"),
        DicomUid.RTStructureSetStorage => FirstOrNamed(study, RtStudyWriter.StructureSetFile, "RS", instance),
        DicomUid.RTPlanStorage => FirstOrNamed(study, RtStudyWriter.PlanFile, "RP", instance),
        DicomUid.RTDoseStorage => FirstOrNamed(study, RtStudyWriter.DoseFile, "RD", instance),
        _ => Path.Combine(study, $"{DicomUidRegistry.KeywordOf(sopClassUid) ?? "OT"}.{instance}.dcm"),
    };

    /// <summary>The case file name (rtstruct.dcm …) unless it holds another instance already, then PREFIX.UID.dcm.</summary>
    private static string FirstOrNamed(string study, string caseName, string prefix, string instance)
    {
        string first = Path.Combine(study, caseName);
        if (!File.Exists(first) || InstanceOf(first) == instance)
        {
            return first;
        }

        return Path.Combine(study, $"{prefix}.{instance}.dcm");
    }

    private static string? InstanceOf(string path)
    {
        try
        {
            return DicomFile.Open(path).Dataset.GetString(DicomTags.SOPInstanceUID);
        }
        catch (DicomFormatException)
        {
            return null;
        }
    }

    private static string CheckUid(string uid, string what) =>
        DicomUid.IsValid(uid) ? uid : throw new ArgumentException($"{what} '{uid}' is not a valid UID");
}
