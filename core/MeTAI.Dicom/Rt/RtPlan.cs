namespace MeTAI.Dicom.Rt;

/// <summary>
/// An external-beam treatment plan (RT Plan IOD, PS3.3 A.20): label and name, prescription, fraction scheme, beams
/// with their control points, patient setup, and the structure set it was planned on. Read and written by
/// <see cref="Readers.RtPlanReader"/> and <see cref="Writers.RtPlanWriter"/>.
/// </summary>
public sealed record RtPlan
{
    /// <summary>Patient and study.</summary>
    public RtPatientStudy PatientStudy { get; init; } = new();

    /// <summary>SOP Instance UID (0008,0018).</summary>
    public string SopInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string SeriesInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Series Number (0020,0011).</summary>
    public int SeriesNumber { get; init; } = 3;

    /// <summary>Frame of Reference UID (0020,0052) shared with the CT, or null when the file has none.</summary>
    public string? FrameOfReferenceUid { get; init; }

    /// <summary>RT Plan Label (300A,0002), at most 16 characters.</summary>
    public string Label { get; init; } = "PLAN";

    /// <summary>RT Plan Name (300A,0003), or empty.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>RT Plan Description (300A,0004), or empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>RT Plan Date (300A,0006), DA text or empty.</summary>
    public string Date { get; init; } = string.Empty;

    /// <summary>RT Plan Time (300A,0007), TM text or empty.</summary>
    public string Time { get; init; } = string.Empty;

    /// <summary>RT Plan Geometry (300A,000C): PATIENT (planned on a structure set) or TREATMENT_DEVICE.</summary>
    public string Geometry { get; init; } = "PATIENT";

    /// <summary>Plan Intent (300A,000A), e.g. CURATIVE, or empty.</summary>
    public string Intent { get; init; } = string.Empty;

    /// <summary>Prescription (Dose Reference Sequence).</summary>
    public IReadOnlyList<RtDoseReference> DoseReferences { get; init; } = [];

    /// <summary>Fraction scheme (Fraction Group Sequence).</summary>
    public IReadOnlyList<RtFractionGroup> FractionGroups { get; init; } = [];

    /// <summary>Beams (Beam Sequence).</summary>
    public IReadOnlyList<RtBeam> Beams { get; init; } = [];

    /// <summary>Patient setups (Patient Setup Sequence).</summary>
    public IReadOnlyList<RtPatientSetup> PatientSetups { get; init; } = [];

    /// <summary>SOP Instance UID of the RT Structure Set the plan refers to (Referenced Structure Set Sequence), or null.</summary>
    public string? ReferencedStructureSetUid { get; init; }

    /// <summary>Approval Status (300E,0002): APPROVED, UNAPPROVED or REJECTED.</summary>
    public string ApprovalStatus { get; init; } = "UNAPPROVED";

    /// <summary>Number of Fractions Planned of the first fraction group, or null.</summary>
    public int? FractionsPlanned => FractionGroups.Count > 0 ? FractionGroups[0].FractionsPlanned : null;

    /// <summary>Beam Meterset (MU per fraction) of a beam in the first fraction group that lists it, or null.</summary>
    public double? MetersetMu(int beamNumber)
    {
        foreach (RtFractionGroup group in FractionGroups)
        {
            foreach (RtReferencedBeam beam in group.ReferencedBeams)
            {
                if (beam.BeamNumber == beamNumber)
                {
                    return beam.MetersetMu;
                }
            }
        }

        return null;
    }
}
