namespace MeTAI.Service.Plans;

/// <summary>
/// What a plan's second check found (<see cref="SecondCheckRunner"/>), as <c>second-check.json</c> and the API give it:
/// the Monte Carlo recompute of the plan's RT Plan compared with the plan's own dose by gamma.
/// </summary>
public sealed record SecondCheckOutcome
{
    /// <summary>The plan checked (its job id).</summary>
    public required string PlanId { get; init; }

    /// <summary>Whether the gamma pass rate reached <see cref="PassRateRequiredPercent"/>.</summary>
    public required bool Passed { get; init; }

    /// <summary>Voxels with γ ≤ 1, percent of the analysed voxels.</summary>
    public required double GammaPassRatePercent { get; init; }

    /// <summary>Least pass rate for the check to pass, percent (<c>Service:SecondCheckPassRatePercent</c>).</summary>
    public required double PassRateRequiredPercent { get; init; }

    /// <summary>The criteria as text, e.g. <c>3 %/3 mm global, threshold 10 %</c>.</summary>
    public required string Criteria { get; init; }

    /// <summary>Dose-difference criterion, percent of the plan's maximum dose (global gamma).</summary>
    public required double DoseTolerancePercent { get; init; }

    /// <summary>Distance to agreement, mm.</summary>
    public required double DtaMm { get; init; }

    /// <summary>Low-dose threshold, percent of the plan's maximum dose.</summary>
    public required double ThresholdPercent { get; init; }

    /// <summary>Voxels analysed (above the threshold in either dose).</summary>
    public required long AnalysedVoxels { get; init; }

    /// <summary>Voxels with γ ≤ 1.</summary>
    public required long PassedVoxels { get; init; }

    /// <summary>Mean γ over the analysed voxels.</summary>
    public required double MeanGamma { get; init; }

    /// <summary>The plan's maximum dose (the global criterion's reference), Gy.</summary>
    public required double PlanMaxDoseGy { get; init; }

    /// <summary>The recompute's maximum dose, Gy.</summary>
    public required double CheckMaxDoseGy { get; init; }

    /// <summary>Largest |check − plan| over the analysed voxels (the check resampled onto the plan's dose grid), Gy.</summary>
    public required double MaxDoseDifferenceGy { get; init; }

    /// <summary><see cref="MaxDoseDifferenceGy"/> in percent of <see cref="PlanMaxDoseGy"/>.</summary>
    public required double MaxDoseDifferencePercent { get; init; }

    /// <summary>The recompute's mean relative uncertainty where the dose is above half its maximum (1 σ, fraction).</summary>
    public required double MeanRelUncertaintyAbove50 { get; init; }

    /// <summary>Monte Carlo histories of the recompute.</summary>
    public required long Histories { get; init; }

    /// <summary>Whether the recompute was denoised (<c>Service:SecondCheckDenoise</c>).</summary>
    public required bool Denoised { get; init; }

    /// <summary>Fractions summed (the plan's Number of Fractions Planned).</summary>
    public required int Fractions { get; init; }

    /// <summary>Where it ran (CPU, CUDA device).</summary>
    public required string Device { get; init; }

    /// <summary>Seconds of Monte Carlo.</summary>
    public required double Seconds { get; init; }

    /// <summary>The files the check wrote, relative to its folder.</summary>
    public required IReadOnlyList<string> Files { get; init; }
}
