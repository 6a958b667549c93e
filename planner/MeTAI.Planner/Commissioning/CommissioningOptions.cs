using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>Settings of a commissioning run.</summary>
public sealed record CommissioningOptions
{
    /// <summary>
    /// Histories per Monte Carlo run (one run per field and surrogate node). The default, 2·10⁶, gives PDD points of
    /// about 0.5–1 % (1σ) in 5 mm voxels for a 10 × 10 cm² field; on 2 CPU cores one run takes seconds to tens of seconds.
    /// </summary>
    public long Histories { get; init; } = 2_000_000;

    /// <summary>Random seed; every node of a stage uses the same seed per field (common random numbers), the final run another.</summary>
    public ulong Seed { get; init; } = 2026;

    /// <summary>Gamma and normalisation criteria of the report.</summary>
    public ComparisonOptions Comparison { get; init; } = new();

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Histories < 10_000)
        {
            throw new ArgumentException($"--histories {Histories}: at least 10000 histories per run.");
        }

        Comparison.Validate();
    }
}
