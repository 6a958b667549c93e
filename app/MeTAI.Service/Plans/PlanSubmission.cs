namespace MeTAI.Service.Plans;

/// <summary>
/// Body of <c>POST /api/plans</c>: a case (<c>case</c>: built-in phantom, or <c>uploadId</c>), a protocol (default:
/// the protocol named like the case), and optionally the number of beams, the phantom voxel size, the Monte Carlo
/// histories of the final dose and of each beamlet, and the seed; for an upload holding several CT series or structure
/// sets, which to use (<c>ctSeries</c>, <c>structureSet</c>), and <c>allowInconsistent</c> to plan on a CT and structure
/// set that do not belong together.
/// </summary>
public sealed record PlanSubmission
{
    /// <summary>Built-in phantom (tg119-cshape, prostate, multitarget, …).</summary>
    public string? Case { get; init; }

    /// <summary>An upload's id (from <c>POST /api/uploads</c>).</summary>
    public string? UploadId { get; init; }

    /// <summary>Protocol name (configs/protocols/NAME.json).</summary>
    public string? Protocol { get; init; }

    /// <summary>Beams, 1–36 (default: the protocol's).</summary>
    public int? Beams { get; init; }

    /// <summary>Phantom voxel size, 2–10 mm (default 5).</summary>
    public double? VoxelMm { get; init; }

    /// <summary>Monte Carlo histories of the final dose (all segments), 10 000 – 1 000 000 000 (default: the planner's).</summary>
    public long? Histories { get; init; }

    /// <summary>Monte Carlo histories per 5 mm beamlet of the influence matrix, 100 – 1 000 000 (default: the planner's).</summary>
    public long? BeamletHistories { get; init; }

    /// <summary>Random seed (default 1).</summary>
    public ulong? Seed { get; init; }

    /// <summary>An upload with several CT series: the Series Instance UID of the one to plan on (the upload lists them).</summary>
    public string? CtSeries { get; init; }

    /// <summary>An upload with several structure sets: the SOP Instance UID of the one to plan with.</summary>
    public string? StructureSet { get; init; }

    /// <summary>Plan although CT and structure set disagree (patient, study, frame of reference; the upload lists how); phantom work only.</summary>
    public bool? AllowInconsistent { get; init; }
}
