using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// The DICOM objects one command works on together, with the files they came from (for messages):
/// <see cref="CaseConsistency"/> checks that they belong to one patient, study and frame of reference and that their
/// references point at one another. Any may be null.
/// </summary>
public sealed record CaseObjects
{
    /// <summary>The CT series (its files are its <see cref="CtSeries.SourceFiles"/>).</summary>
    public CtSeries? Ct { get; init; }

    /// <summary>The structure set.</summary>
    public RtStructureSet? StructureSet { get; init; }

    /// <summary>The structure set's file.</summary>
    public string? StructureSetFile { get; init; }

    /// <summary>The plan.</summary>
    public RtPlan? Plan { get; init; }

    /// <summary>The plan's file.</summary>
    public string? PlanFile { get; init; }

    /// <summary>The dose.</summary>
    public RtDose? Dose { get; init; }

    /// <summary>The dose's file.</summary>
    public string? DoseFile { get; init; }
}
