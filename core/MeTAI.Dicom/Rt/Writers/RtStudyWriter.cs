namespace MeTAI.Dicom.Rt.Writers;

/// <summary>
/// Writes a CT, its ROIs and optionally a plan and a dose as one consistent set under a directory:
/// <c>ct/CT.&lt;n&gt;.dcm</c>, <c>rtstruct.dcm</c>, <c>rtplan.dcm</c>, <c>rtdose.dcm</c>. The RT objects get the CT's
/// patient, study and frame of reference; the structure set references every CT slice; the plan references the
/// structure set; the dose references the plan. Everything is written to a temporary directory first and moved into
/// place at the end, so a failure leaves the target as it was.
/// <para>
/// UIDs: every object written is a new object, so none shares a SOP Instance UID with another that differs from it.
/// The CT slices are written as a new series (<see cref="CtSeries.WithNewIdentity"/>: new Series and SOP Instance
/// UIDs, the study and frame of reference kept), since they are our rewrite of a volume that often came from someone
/// else's files; the structure set is traced anew; a plan or dose that linking changes (its patient, study, frame of
/// reference or the object it references) gets a new SOP Instance UID (<see cref="Link"/>).
/// </para>
/// </summary>
public static class RtStudyWriter
{
    /// <summary>Sub-directory of the CT slices.</summary>
    public const string CtDirectory = "ct";

    /// <summary>File name of the structure set.</summary>
    public const string StructureSetFile = "rtstruct.dcm";

    /// <summary>File name of the plan.</summary>
    public const string PlanFile = "rtplan.dcm";

    /// <summary>File name of the dose.</summary>
    public const string DoseFile = "rtdose.dcm";

    /// <summary>Writes the set; returns the objects as written (with their references filled in).</summary>
    /// <param name="directory">Target directory (created if needed; files of the same names are replaced).</param>
    /// <param name="ct">The CT series.</param>
    /// <param name="rois">Masks on the CT grid to write as ROIs (an RTSTRUCT is written even when empty).</param>
    /// <param name="plan">A plan to write, or null.</param>
    /// <param name="dose">A dose to write, or null; a PLAN summation needs the plan.</param>
    /// <param name="created">Creation time stamped on the objects (default now).</param>
    public static RtStudy Write(string directory, CtSeries ct, IEnumerable<RtRoiMask> rois, RtPlan? plan = null, RtDose? dose = null, DateTime? created = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(ct);
        ArgumentNullException.ThrowIfNull(rois);
        DateTime now = created ?? DateTime.Now;
        CtSeries written = ct.WithNewIdentity();
        RtStudy study = Link(written, RtStructureSet.FromMasks(written, rois, created: now), plan, dose);

        string target = Path.GetFullPath(directory);
        Directory.CreateDirectory(target);
        string temp = Path.Combine(target, ".metai-" + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        try
        {
            CtSeriesWriter.Write(study.Ct, Path.Combine(temp, CtDirectory), now);
            RtStructureSetWriter.Write(study.StructureSet!, Path.Combine(temp, StructureSetFile), now);
            if (study.Plan is { } p)
            {
                RtPlanWriter.Write(p, Path.Combine(temp, PlanFile), now);
            }

            if (study.Dose is { } d)
            {
                RtDoseWriter.Write(d, Path.Combine(temp, DoseFile), now);
            }

            Commit(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }

        return study;
    }

    /// <summary>
    /// The objects with their identities and references made consistent: patient/study and frame of reference from
    /// the CT, RTPLAN → RTSTRUCT, RTDOSE → RTPLAN. A plan or dose that this changes is a modified object and gets a new
    /// SOP Instance UID (one it already matches keeps its own).
    /// </summary>
    public static RtStudy Link(CtSeries ct, RtStructureSet? structureSet, RtPlan? plan, RtDose? dose)
    {
        ArgumentNullException.ThrowIfNull(ct);
        RtStructureSet? ss = structureSet is null ? null : structureSet with
        {
            PatientStudy = ct.PatientStudy,
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            ReferencedStudyUid = ct.PatientStudy.StudyInstanceUid,
            ReferencedSeriesUid = ct.SeriesInstanceUid,
            ReferencedImageUids = ct.SopInstanceUids,
        };
        RtPlan? p = plan is null ? null : plan with
        {
            PatientStudy = ct.PatientStudy,
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            ReferencedStructureSetUid = ss?.SopInstanceUid ?? plan.ReferencedStructureSetUid,
        };
        if (p is not null && p != plan)
        {
            p = p with { SopInstanceUid = DicomUid.Generate() };
        }

        if (dose is not null && p is null && dose.DoseSummationType is "PLAN" or "FRACTION" or "BEAM" && dose.ReferencedPlanUid is null)
        {
            throw new ArgumentException($"A dose summed over a {dose.DoseSummationType} needs the plan it belongs to.", nameof(dose));
        }

        RtDose? d = dose is null ? null : dose with
        {
            PatientStudy = ct.PatientStudy,
            FrameOfReferenceUid = ct.FrameOfReferenceUid,
            ReferencedPlanUid = p?.SopInstanceUid ?? dose.ReferencedPlanUid,
        };
        if (d is not null && d != dose)
        {
            d = d with { SopInstanceUid = DicomUid.Generate() };
        }

        return new RtStudy { Ct = ct, StructureSet = ss, Plan = p, Dose = d };
    }

    private static void Commit(string temp, string target)
    {
        // The CT directory is replaced as a whole so that slices of an earlier, longer series do not linger.
        string ctTarget = Path.Combine(target, CtDirectory);
        string? old = null;
        if (Directory.Exists(ctTarget))
        {
            old = Path.Combine(temp, ".old-ct");
            Directory.Move(ctTarget, old);
        }

        Directory.Move(Path.Combine(temp, CtDirectory), ctTarget);
        foreach (string file in new[] { StructureSetFile, PlanFile, DoseFile })
        {
            string source = Path.Combine(temp, file);
            if (File.Exists(source))
            {
                File.Move(source, Path.Combine(target, file), overwrite: true);
            }
        }
    }
}
