namespace MeTAI.Dosimetry.Analysis;

/// <summary>
/// Run a Monte Carlo calculation until its statistical uncertainty reaches a target (docs/monte-carlo.md, "Stopping at
/// a target uncertainty"): batches are added until the upper confidence bound of the mean relative σ over the
/// stopping region is at or below <see cref="RelativeUncertainty"/>, or <see cref="MaxHistories"/> are spent.
/// Plain options with defaults, validated once.
/// </summary>
public sealed record UncertaintyTarget
{
    /// <summary>Target mean relative 1σ over the stopping region (fraction: 0.01 is 1 %).</summary>
    public required double RelativeUncertainty { get; init; }

    /// <summary>The history cap: the run stops here, target reached or not (and says so).</summary>
    public long MaxHistories { get; init; } = 2_000_000_000;

    /// <summary>One-sided confidence of the upper bound on σ that must meet the target.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Batches before the rule may stop (the pilot); at least 10.</summary>
    public int MinBatches { get; init; } = 10;

    /// <summary>
    /// Batches the run aims to end with: after the pilot, each batch is sized so that the predicted total is reached in
    /// about this many batches (more batches: a tighter bound, more host passes over the grid).
    /// </summary>
    public int PlannedBatches { get; init; } = 100;

    /// <summary>Histories of the pilot (all <see cref="MinBatches"/> pilot batches together).</summary>
    public long PilotHistories { get; init; } = 1_000_000;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(RelativeUncertainty > 0 && RelativeUncertainty < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeUncertainty), RelativeUncertainty, "The target uncertainty must be in (0, 100) %.");
        }

        if (!(Confidence >= 0.5 && Confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "The confidence must be in [0.5, 1).");
        }

        if (MinBatches < 10)
        {
            throw new ArgumentOutOfRangeException(nameof(MinBatches), MinBatches, "The stopping rule needs at least 10 batches before it may stop.");
        }

        if (PlannedBatches < MinBatches)
        {
            throw new ArgumentOutOfRangeException(nameof(PlannedBatches), PlannedBatches, "The planned batches must be at least the minimum batches.");
        }

        if (PilotHistories < MinBatches)
        {
            throw new ArgumentOutOfRangeException(nameof(PilotHistories), PilotHistories, "The pilot needs at least one history per batch.");
        }

        if (MaxHistories < PilotHistories)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxHistories), MaxHistories, $"The history cap must be at least the pilot's {PilotHistories} histories.");
        }
    }
}
