namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// Criteria of a measured-versus-model comparison: the 1D gamma's dose and distance criteria (default 2 %/2 mm,
/// global: ΔD = 2 % of the normalisation value — dmax dose for a PDD, central-axis dose for a profile), its low-dose
/// threshold, and the search limit.
/// </summary>
public sealed record ComparisonOptions
{
    /// <summary>Dose-difference criterion, fraction (0.02 = 2 %).</summary>
    public double DoseTolerance { get; init; } = 0.02;

    /// <summary>Distance to agreement, mm.</summary>
    public double DtaMm { get; init; } = 2.0;

    /// <summary>Local gamma: ΔD relative to the measured point's own value instead of the normalisation value.</summary>
    public bool Local { get; init; }

    /// <summary>Measured points below this fraction of the normalisation value are not analysed.</summary>
    public double ThresholdFraction { get; init; } = 0.10;

    /// <summary>Largest gamma computed; the search covers ± this × DTA.</summary>
    public double GammaMax { get; init; } = 2.0;

    /// <summary>Throws when a criterion is not positive.</summary>
    public void Validate()
    {
        if (!(DoseTolerance > 0 && DtaMm > 0 && ThresholdFraction >= 0 && ThresholdFraction < 1 && GammaMax >= 1))
        {
            throw new ArgumentException("Gamma criteria must be positive (dose tolerance, DTA), the threshold in [0, 1) and gamma-max ≥ 1.");
        }
    }
}
