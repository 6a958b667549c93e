namespace MeTAI.Dicom.Rt;

/// <summary>
/// A CT with the RT objects drawn, planned and computed on it. <see cref="CheckReferences"/> says whether they hang
/// together: one frame of reference; RTSTRUCT → CT slices; RTPLAN → RTSTRUCT; RTDOSE → RTPLAN.
/// </summary>
public sealed record RtStudy
{
    /// <summary>The CT series.</summary>
    public required CtSeries Ct { get; init; }

    /// <summary>The structure set, or null.</summary>
    public RtStructureSet? StructureSet { get; init; }

    /// <summary>The plan, or null.</summary>
    public RtPlan? Plan { get; init; }

    /// <summary>The dose, or null.</summary>
    public RtDose? Dose { get; init; }

    /// <summary>Every broken reference, one line each; empty when the objects are consistent.</summary>
    public IReadOnlyList<string> CheckReferences()
    {
        var problems = new List<string>();
        string frame = Ct.FrameOfReferenceUid;
        var slices = new HashSet<string>(Ct.SopInstanceUids, StringComparer.Ordinal);
        if (StructureSet is { } ss)
        {
            if (ss.FrameOfReferenceUid != frame)
            {
                problems.Add($"RTSTRUCT frame of reference {ss.FrameOfReferenceUid} is not the CT's {frame}.");
            }

            if (ss.ReferencedSeriesUid != Ct.SeriesInstanceUid)
            {
                problems.Add($"RTSTRUCT references series {ss.ReferencedSeriesUid}, not the CT series {Ct.SeriesInstanceUid}.");
            }

            if (ss.ReferencedStudyUid != Ct.PatientStudy.StudyInstanceUid)
            {
                problems.Add($"RTSTRUCT references study {ss.ReferencedStudyUid}, not the CT study {Ct.PatientStudy.StudyInstanceUid}.");
            }

            foreach (string uid in ss.ReferencedImageUids.Where(u => !slices.Contains(u)))
            {
                problems.Add($"RTSTRUCT lists image {uid}, which is not a slice of the CT.");
            }

            foreach (RtRoi roi in ss.Rois)
            {
                if (roi.FrameOfReferenceUid is { } f && f != frame)
                {
                    problems.Add($"ROI '{roi.Name}' is in frame of reference {f}, not the CT's {frame}.");
                }

                int bad = roi.Contours.SelectMany(c => c.ReferencedImageUids).Count(u => !slices.Contains(u));
                if (bad > 0)
                {
                    problems.Add($"ROI '{roi.Name}': {bad} contour image references are not slices of the CT.");
                }
            }
        }

        if (Plan is { } plan)
        {
            if (plan.FrameOfReferenceUid is { } f && f != frame)
            {
                problems.Add($"RTPLAN frame of reference {f} is not the CT's {frame}.");
            }

            if (StructureSet is not null && plan.ReferencedStructureSetUid != StructureSet.SopInstanceUid)
            {
                problems.Add($"RTPLAN references structure set {plan.ReferencedStructureSetUid}, not {StructureSet.SopInstanceUid}.");
            }
        }

        if (Dose is { } dose)
        {
            if (dose.FrameOfReferenceUid != frame)
            {
                problems.Add($"RTDOSE frame of reference {dose.FrameOfReferenceUid} is not the CT's {frame}.");
            }

            if (Plan is not null && dose.ReferencedPlanUid != Plan.SopInstanceUid)
            {
                problems.Add($"RTDOSE references plan {dose.ReferencedPlanUid}, not {Plan.SopInstanceUid}.");
            }
        }

        return problems;
    }
}
