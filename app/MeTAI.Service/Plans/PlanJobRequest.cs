namespace MeTAI.Service.Plans;

/// <summary>
/// A plan job as stored and handed to <see cref="IPlanRunner"/>: what <c>metai plan</c> takes (<c>--case</c>,
/// <c>--protocol FILE</c>, <c>--beams N</c>, <c>--voxel</c>, <c>--final-histories</c>, <c>--beamlet-histories</c>,
/// <c>--seed</c>, <c>--ct-series</c>, <c>--structure-set</c>, <c>--allow-inconsistent</c>) with the case and protocol
/// resolved to files.
/// </summary>
public sealed record PlanJobRequest
{
    /// <summary>Built-in phantom name, or null for an uploaded case.</summary>
    public string? Case { get; init; }

    /// <summary>Upload id, or null for a phantom.</summary>
    public string? UploadId { get; init; }

    /// <summary>Directory with <c>ct/</c> and <c>rtstruct.dcm</c> for uploaded cases.</summary>
    public string? CaseDirectory { get; init; }

    /// <summary>Display name of the case (phantom name or upload label).</summary>
    public required string CaseName { get; init; }

    /// <summary>Protocol name.</summary>
    public required string Protocol { get; init; }

    /// <summary>Protocol file (configs/protocols/NAME.json).</summary>
    public required string ProtocolPath { get; init; }

    /// <summary>Number of beams (null: the protocol's).</summary>
    public int? Beams { get; init; }

    /// <summary>Voxel size of built-in phantoms, mm.</summary>
    public double VoxelMm { get; init; } = 5;

    /// <summary>Monte Carlo histories of the final dose, all segments together (null: the planner's default).</summary>
    public long? Histories { get; init; }

    /// <summary>Monte Carlo histories per 5 mm beamlet of the influence matrix (null: the planner's default).</summary>
    public long? BeamletHistories { get; init; }

    /// <summary>Random seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>For an upload holding several: the CT series to plan on (Series Instance UID), or null.</summary>
    public string? CtSeriesUid { get; init; }

    /// <summary>For an upload holding several: the structure set to plan with (SOP Instance UID), or null.</summary>
    public string? StructureSetUid { get; init; }

    /// <summary>Plan on a CT and structure set that do not belong together (another patient, study or frame of reference); each mismatch is a warning in plan.log and report.json.</summary>
    public bool AllowInconsistent { get; init; }

    /// <summary>
    /// Set when this job is the second check of plan <c>SecondCheckOf</c> (Monte Carlo recompute of its RT Plan on its CT,
    /// gamma against its dose; <see cref="SecondCheckRunner"/>) rather than a plan; <see cref="Histories"/> and
    /// <see cref="Seed"/> are then the check's.
    /// </summary>
    public string? SecondCheckOf { get; init; }

    /// <summary>
    /// Set when this job is a needle rehearsal (<see cref="Rehearsals.RehearsalRunner"/>) rather than a plan: its target,
    /// structures to avoid and search settings. <see cref="Protocol"/> is then <c>rehearsal</c> and
    /// <see cref="ProtocolPath"/> the avatar config.
    /// </summary>
    public Rehearsals.RehearsalSettings? Rehearsal { get; init; }

    /// <summary>Who submitted it (their user name), for the per-user quota.</summary>
    public string? SubmittedBy { get; init; }
}
