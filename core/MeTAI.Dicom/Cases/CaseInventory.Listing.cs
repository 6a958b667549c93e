using System.Text;

namespace MeTAI.Dicom.Cases;

/// <summary>The inventory as the log and <c>metai dicom info DIR</c> list it.</summary>
public sealed partial class CaseInventory
{
    /// <summary>
    /// One line of counts, then patient → study → series, each structure set, plan and dose with what it references,
    /// and every problem. <paramref name="showPatientIdentity"/> false leaves patient ID and name out (the service).
    /// </summary>
    public string Describe(bool showPatientIdentity = true)
    {
        var text = new StringBuilder();
        text.Append($"{Root}: {FileCount} file{Plural(FileCount)}, {Instances.Count} DICOM object{Plural(Instances.Count)} in {Series.Count} series");
        if (DicomDirectories.Count > 0)
        {
            text.Append($", found through {string.Join(", ", DicomDirectories)}");
        }

        text.Append($"; {NotDicom.Count} not DICOM (skipped)");
        if (Ignored.Count > 0)
        {
            text.Append($", {Ignored.Count} ignored");
        }

        if (Problems.Count > 0)
        {
            text.Append($", {Problems.Count} problem{Plural(Problems.Count)}");
        }

        text.Append('\n');
        foreach (IGrouping<string, CaseSeries> patient in Series.GroupBy(s => s.PatientId))
        {
            CaseSeries first = patient.First();
            text.Append(showPatientIdentity ? $"  patient '{first.PatientId}' ({first.PatientName})\n" : "  patient\n");
            foreach (IGrouping<string, CaseSeries> study in patient.GroupBy(s => s.StudyInstanceUid))
            {
                CaseInstance s = study.First().First;
                text.Append($"    study {study.Key}{(s.StudyDate.Length > 0 ? " " + s.StudyDate : string.Empty)}{(s.StudyDescription.Length > 0 ? $" \"{s.StudyDescription}\"" : string.Empty)}\n");
                foreach (CaseSeries series in study)
                {
                    text.Append($"      {series}\n");
                    foreach (CaseInstance i in series.Instances.Where(i => i.IsStructureSet || i.IsPlan || i.IsDose))
                    {
                        text.Append($"        {Object(i)}\n");
                    }
                }
            }
        }

        foreach ((string name, string reason) in Ignored)
        {
            text.Append($"  ignored {name}: {reason}\n");
        }

        foreach (CaseFileProblem p in Problems)
        {
            text.Append($"  problem {p}\n");
        }

        return text.ToString();
    }

    /// <summary>"structure set UID 'label' (file) on frame of reference F, drawn on series S" and the like for plans and doses.</summary>
    public static string Object(CaseInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        string label = instance.Label.Length > 0 ? $" '{instance.Label}'" : string.Empty;
        return instance switch
        {
            { IsStructureSet: true } => $"structure set {instance.SopInstanceUid}{label} ({instance.Name}) on frame of reference {Or(instance.FrameOfReferenceUid)}, drawn on series {Or(instance.ReferencedSeriesUid)}",
            { IsPlan: true } => $"plan {instance.SopInstanceUid}{label} ({instance.Name}) on frame of reference {Or(instance.FrameOfReferenceUid)}, structure set {Or(instance.ReferencedStructureSetUid)}",
            { IsDose: true } => $"dose {instance.SopInstanceUid} ({instance.Name}) on frame of reference {Or(instance.FrameOfReferenceUid)}, plan {Or(instance.ReferencedPlanUid)}",
            _ => $"{instance.SopClassName} {instance.SopInstanceUid} ({instance.Name})",
        };
    }

    /// <summary>A CT series as candidate lists show it: UID, number, slices, description, frame of reference, first file.</summary>
    public static string Candidate(CaseSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return $"{series.SeriesInstanceUid} ({(series.SeriesNumber is { } n ? $"#{n}, " : string.Empty)}{series.Instances.Count} slices"
            + $"{(series.Description.Length > 0 ? $", \"{series.Description}\"" : string.Empty)}, frame of reference {string.Join("/", series.FramesOfReference)}, {series.First.Name} …)";
    }

    private static string Or(string? value) => string.IsNullOrEmpty(value) ? "(none)" : value;

    private static string Plural(int n) => n == 1 ? string.Empty : "s";
}
