namespace MeTAI.Service.Plans;

/// <summary>The body of <c>POST /api/plans/{id}/second-check</c> (optional; both fields too).</summary>
public sealed record SecondCheckSubmission
{
    /// <summary>Monte Carlo histories, all beams together (10⁴–10⁹; default <c>Service:SecondCheckHistories</c>, 10⁷).</summary>
    public long? Histories { get; init; }

    /// <summary>Random seed (default the plan's seed + 1, so the recompute's noise is not the plan's).</summary>
    public ulong? Seed { get; init; }
}
