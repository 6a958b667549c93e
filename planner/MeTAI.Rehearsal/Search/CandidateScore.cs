namespace MeTAI.Rehearsal.Search;

/// <summary>
/// Ranks simulated insertions (higher is better):
/// <code>
/// score = min(clearance, 20 mm)/20 mm − 0.5·peakForce/5 N − targetError/5 mm − 0.25·pathLength/100 mm
///         − 10 when infeasible (clearance below the required minimum, skin not punctured, or bone in the way)
/// </code>
/// Clearance dominates up to 20 mm (more is not safer in practice); a millimetre of target error costs as much as
/// 4 mm of clearance; force and length break ties. Infeasible candidates always rank below feasible ones.
/// </summary>
public static class CandidateScore
{
    /// <summary>Clearance beyond this counts no more, mm.</summary>
    public const double ClearanceCapMm = 20;

    /// <summary>Penalty for an infeasible candidate.</summary>
    public const double InfeasiblePenalty = 10;

    /// <summary>True when the insertion keeps the clearance, punctured the skin and met no bone.</summary>
    public static bool IsFeasible(InsertionResult result, double minClearanceMm)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.MinClearanceMm >= minClearanceMm && result.PuncturedSkin && !result.BlockedByBone;
    }

    /// <summary>The score of one insertion.</summary>
    public static double Score(InsertionResult result, double minClearanceMm)
    {
        ArgumentNullException.ThrowIfNull(result);
        double score = Math.Min(result.MinClearanceMm, ClearanceCapMm) / ClearanceCapMm
            - 0.5 * result.PeakForceN / 5
            - result.TargetErrorMm / 5
            - 0.25 * result.PathLengthMm / 100;
        return IsFeasible(result, minClearanceMm) ? score : score - InfeasiblePenalty;
    }
}
