using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// The one check that CT, RTSTRUCT, RTPLAN and RTDOSE belong together before they are used together:
/// <list type="bullet">
/// <item>patient — Patient ID (0010,0020) equal (a different Patient's Name (0010,0010) is a warning: systems spell
/// names differently);</item>
/// <item>study — Study Instance UID (0020,000D) equal, and the RTSTRUCT's RT Referenced Study the CT's study;</item>
/// <item>frame of reference — the RTSTRUCT's Referenced Frame of Reference (3006,0010) and its ROIs' (3006,0024), the
/// plan's and the dose's Frame of Reference UID (0020,0052) equal the CT's (without a CT, the structure set's);</item>
/// <item>references — the RTSTRUCT's RT Referenced Series is the CT series and every Contour Image Sequence
/// (3006,0016) entry a slice of it; the RTPLAN's Referenced Structure Set Sequence (300C,0060) is the RTSTRUCT; the
/// RTDOSE's Referenced RT Plan Sequence (300C,0002) is the RTPLAN.</item>
/// </list>
/// A mismatch is refused (<see cref="CaseInconsistentException"/>, naming both values, the files and the override) unless
/// <see cref="CaseLoadOptions.AllowInconsistent"/>, which turns each into a warning for the log and the report.
/// </summary>
public static class CaseConsistency
{
    private const string PatientIdTag = "Patient ID (0010,0020)";
    private const string FrameTag = "Frame of Reference UID (0020,0052)";

    /// <summary>Every mismatch between the objects present; <paramref name="showPatientIdentity"/> false leaves the Patient ID and name values out of the messages.</summary>
    public static IReadOnlyList<CaseConsistencyProblem> Check(CaseObjects objects, bool showPatientIdentity = true)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var problems = new List<CaseConsistencyProblem>();
        List<Named> named = Objects(objects);
        if (named.Count < 2)
        {
            return problems;
        }

        Named first = named[0];
        foreach (Named other in named.Skip(1))
        {
            if (other.PatientStudy.PatientId != first.PatientStudy.PatientId)
            {
                problems.Add(new(PatientIdTag, showPatientIdentity
                    ? $"{first} has '{first.PatientStudy.PatientId}', {other} has '{other.PatientStudy.PatientId}'"
                    : $"{first} and {other} have different values"));
            }
            else if (!SameName(other.PatientStudy.PatientName, first.PatientStudy.PatientName))
            {
                problems.Add(new("Patient's Name (0010,0010)", showPatientIdentity
                    ? $"{first} has '{first.PatientStudy.PatientName}', {other} has '{other.PatientStudy.PatientName}' (same Patient ID)"
                    : $"{first} and {other} spell it differently (same Patient ID)", WarningOnly: true));
            }

            if (other.PatientStudy.StudyInstanceUid != first.PatientStudy.StudyInstanceUid)
            {
                problems.Add(new("Study Instance UID (0020,000D)", $"{first} is in study {first.PatientStudy.StudyInstanceUid}, {other} in study {other.PatientStudy.StudyInstanceUid}"));
            }
        }

        CheckFrames(objects, named, problems);
        CheckReferences(objects, named, problems);
        return problems;
    }

    /// <summary>
    /// Checks the objects and refuses any mismatch, or with <see cref="CaseLoadOptions.AllowInconsistent"/> writes each
    /// as a warning to <paramref name="log"/>; returns the warnings (for the report).
    /// </summary>
    /// <exception cref="CaseInconsistentException">A mismatch, and no override.</exception>
    public static IReadOnlyList<string> Enforce(CaseObjects objects, CaseLoadOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<CaseConsistencyProblem> problems = Check(objects, options.LogPatientIdentity);
        List<CaseConsistencyProblem> refused = [.. problems.Where(p => !p.WarningOnly)];
        if (refused.Count > 0 && !options.AllowInconsistent)
        {
            throw new CaseInconsistentException(
                $"The inputs do not belong together: {string.Join("; ", refused)}. {options.AllowInconsistentOption} uses them anyway "
                + "(phantom work only; each mismatch is then a warning in the log and the report).", refused);
        }

        var warnings = new List<string>();
        foreach (CaseConsistencyProblem p in problems)
        {
            string text = p.WarningOnly ? p.ToString() : $"{p} (accepted by {options.AllowInconsistentOption})";
            warnings.Add(text);
            log?.WriteLine("warning: " + text);
        }

        return warnings;
    }

    private static void CheckFrames(CaseObjects o, List<Named> named, List<CaseConsistencyProblem> problems)
    {
        RtStructureSet? ss = o.StructureSet;
        string? ssFrame = ss?.FrameOfReferenceUid ?? ss?.Rois.Select(r => r.FrameOfReferenceUid).FirstOrDefault(f => f is not null);
        (string? frame, Named? owner) = o.Ct is { } ct ? (ct.FrameOfReferenceUid, named[0]) : (ssFrame, named.FirstOrDefault(n => n.Kind == "RTSTRUCT"));
        if (frame is null || owner is null)
        {
            return;
        }

        if (ss is not null && o.Ct is not null)
        {
            Named n = named.First(x => x.Kind == "RTSTRUCT");
            if (ss.FrameOfReferenceUid is { } f && f != frame)
            {
                problems.Add(new("Referenced Frame of Reference Sequence (3006,0010)", $"{n} is drawn on frame of reference {f}, {owner} is on {frame}"));
            }

            foreach (IGrouping<string, RtRoi> group in ss.Rois.Where(r => r.FrameOfReferenceUid is { } rf && rf != frame && rf != ss.FrameOfReferenceUid).GroupBy(r => r.FrameOfReferenceUid!))
            {
                problems.Add(new("Referenced Frame of Reference UID (3006,0024)", $"ROI{(group.Count() > 1 ? "s" : string.Empty)} {string.Join(", ", group.Select(r => $"'{r.Name}'"))} of {n} {(group.Count() > 1 ? "are" : "is")} on frame of reference {group.Key}, {owner} is on {frame}"));
            }
        }

        if (o.Plan?.FrameOfReferenceUid is { } pf && pf != frame)
        {
            problems.Add(new(FrameTag, $"{named.First(x => x.Kind == "RTPLAN")} is on frame of reference {pf}, {owner} on {frame}"));
        }

        if (o.Dose is { } dose && dose.FrameOfReferenceUid != frame)
        {
            problems.Add(new(FrameTag, $"{named.First(x => x.Kind == "RTDOSE")} is on frame of reference {dose.FrameOfReferenceUid}, {owner} on {frame}"));
        }
    }

    private static void CheckReferences(CaseObjects o, List<Named> named, List<CaseConsistencyProblem> problems)
    {
        if (o.Ct is { } ct && o.StructureSet is { } ss)
        {
            Named n = named.First(x => x.Kind == "RTSTRUCT"), c = named[0];
            if (ss.ReferencedStudyUid is { } study && study != ct.PatientStudy.StudyInstanceUid)
            {
                problems.Add(new("RT Referenced Study Sequence (3006,0012)", $"{n} references study {study}, {c} is in study {ct.PatientStudy.StudyInstanceUid}"));
            }

            if (ss.ReferencedSeriesUid is { } series && series != ct.SeriesInstanceUid)
            {
                problems.Add(new("RT Referenced Series Sequence (3006,0014)", $"{n} was drawn on series {series}, not on {c}"));
            }

            var slices = new HashSet<string>(ct.SopInstanceUids, StringComparer.Ordinal);
            List<string> foreign = [.. ss.ReferencedImageUids.Concat(ss.Rois.SelectMany(r => r.Contours).SelectMany(k => k.ReferencedImageUids))
                .Where(u => u.Length > 0 && !slices.Contains(u)).Distinct(StringComparer.Ordinal)];
            if (foreign.Count > 0)
            {
                problems.Add(new("Contour Image Sequence (3006,0016)", $"{n} references {foreign.Count} image{(foreign.Count == 1 ? string.Empty : "s")} that {(foreign.Count == 1 ? "is not a slice" : "are not slices")} of {c} (first: Referenced SOP Instance UID {foreign[0]})"));
            }
        }

        if (o.Plan is { } plan && o.StructureSet is { } set && plan.ReferencedStructureSetUid is { } planSs && planSs != set.SopInstanceUid)
        {
            problems.Add(new("Referenced Structure Set Sequence (300C,0060)", $"{named.First(x => x.Kind == "RTPLAN")} references structure set {planSs}, {named.First(x => x.Kind == "RTSTRUCT")} is {set.SopInstanceUid}"));
        }

        if (o.Dose is { } dose && o.Plan is { } p && dose.ReferencedPlanUid is { } dosePlan && dosePlan != p.SopInstanceUid)
        {
            problems.Add(new("Referenced RT Plan Sequence (300C,0002)", $"{named.First(x => x.Kind == "RTDOSE")} references plan {dosePlan}, {named.First(x => x.Kind == "RTPLAN")} is {p.SopInstanceUid}"));
        }
    }

    private sealed record Named(string Kind, string Source, RtPatientStudy PatientStudy)
    {
        public override string ToString() => $"{Kind} {Source}";
    }

    private static List<Named> Objects(CaseObjects o)
    {
        var named = new List<Named>();
        if (o.Ct is { } ct)
        {
            string files = ct.SourceFiles.Count switch
            {
                0 => "in memory",
                1 => ct.SourceFiles[0],
                _ => $"{ct.SourceFiles[0]} and {ct.SourceFiles.Count - 1} more",
            };
            named.Add(new("CT", $"series {ct.SeriesInstanceUid} ({files})", ct.PatientStudy));
        }

        if (o.StructureSet is { } ss)
        {
            named.Add(new("RTSTRUCT", o.StructureSetFile ?? ss.SopInstanceUid, ss.PatientStudy));
        }

        if (o.Plan is { } plan)
        {
            named.Add(new("RTPLAN", o.PlanFile ?? plan.SopInstanceUid, plan.PatientStudy));
        }

        if (o.Dose is { } dose)
        {
            named.Add(new("RTDOSE", o.DoseFile ?? dose.SopInstanceUid, dose.PatientStudy));
        }

        return named;
    }

    // Names agree when they differ only in case, spaces or trailing empty components ("DOE^JOHN^^" = "Doe^John").
    private static bool SameName(string a, string b) =>
        string.Equals(Normalize(a), Normalize(b), StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string name) => string.Join('^', name.Split('^').Select(p => p.Trim())).TrimEnd('^');
}
