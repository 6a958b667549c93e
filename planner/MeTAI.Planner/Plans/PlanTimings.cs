namespace MeTAI.Planner.Plans;

/// <summary>Wall-clock seconds of each pipeline stage (report.json <c>timings</c>).</summary>
public sealed record PlanTimings
{
    /// <summary>Beamlet Monte Carlo and matrix assembly (or cache load).</summary>
    public double InfluenceSeconds { get; init; }

    /// <summary>Fluence optimisation including re-weighting rounds.</summary>
    public double OptimizationSeconds { get; init; }

    /// <summary>Leaf sequencing and segment weight optimisation.</summary>
    public double SequencingSeconds { get; init; }

    /// <summary>Final Monte Carlo dose on the sequenced apertures.</summary>
    public double FinalDoseSeconds { get; init; }

    /// <summary>Everything else (case set-up, evaluation).</summary>
    public double OtherSeconds { get; init; }

    /// <summary>Sum of the stages.</summary>
    public double TotalSeconds => InfluenceSeconds + OptimizationSeconds + SequencingSeconds + FinalDoseSeconds + OtherSeconds;
}
