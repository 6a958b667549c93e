using MeTAI.Core.Geometry;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Optimization.Solver;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Plans;

/// <summary>Everything <see cref="PlanPipeline"/> produced for a plan.</summary>
public sealed class PlanResult
{
    /// <summary>The case, with the protocol's rings added.</summary>
    public required PlanCase Case { get; init; }

    /// <summary>The protocol.</summary>
    public required Protocol Protocol { get; init; }

    /// <summary>The settings used.</summary>
    public required PlanSettings Settings { get; init; }

    /// <summary>The isocentre, LPS mm.</summary>
    public required Vec3 IsocenterLps { get; init; }

    /// <summary>Source-axis distance of the beam model, mm (the RT Plan's, <see cref="Output.RtPlanBuilder.Build(PlanResult)"/>).</summary>
    public required double SadMm { get; init; }

    /// <summary>Beamlet grids, one per beam.</summary>
    public required IReadOnlyList<BeamletGrid> Grids { get; init; }

    /// <summary>Influence matrix rows, columns and non-zeros, and whether it came from the cache.</summary>
    public required (int Rows, int Columns, long NonZeros, bool FromCache) Influence { get; init; }

    /// <summary>Name of the operator that ran the products.</summary>
    public required string OperatorName { get; init; }

    /// <summary>The fluence optimisation runs (first, then re-weighting rounds).</summary>
    public required IReadOnlyList<OptimizationResult> FluenceRuns { get; init; }

    /// <summary>The segment weight optimisation (null when off).</summary>
    public OptimizationResult? SegmentRun { get; init; }

    /// <summary>The segment weight optimisation on the Monte Carlo segment doses (null when off).</summary>
    public OptimizationResult? MonteCarloSegmentRun { get; init; }

    /// <summary>Final objective weights (after re-weighting), one per protocol objective.</summary>
    public required IReadOnlyList<double> FinalWeights { get; init; }

    /// <summary>Goals on the optimised (fluence) dose predicted by the influence matrix, normalised like the final dose.</summary>
    public required IReadOnlyList<GoalResult> PredictedGoals { get; init; }

    /// <summary>Goals on the sequenced segments' dose predicted by the influence matrix, normalised like the final dose.</summary>
    public required IReadOnlyList<GoalResult> SequencedGoals { get; init; }

    /// <summary>The sequenced beams, MU per fraction after normalisation (the RT Plan: <see cref="Output.RtPlanBuilder.Build(PlanResult)"/>).</summary>
    public required IReadOnlyList<SequencedBeam> Sequenced { get; init; }

    /// <summary>The final Monte Carlo dose of the course (Gy), after normalisation.</summary>
    public required PlanDose FinalDose { get; init; }

    /// <summary>Factor applied to the MU and dose by the normalisation (1 without).</summary>
    public required double NormalizationFactor { get; init; }

    /// <summary>Metrics per structure.</summary>
    public required IReadOnlyDictionary<string, StructureMetrics> Metrics { get; init; }

    /// <summary>Clinical goals on the final dose.</summary>
    public required IReadOnlyList<GoalResult> Goals { get; init; }

    /// <summary>Clinical goals on the raw (not denoised) final Monte Carlo dose, for comparison.</summary>
    public required IReadOnlyList<GoalResult> RawDoseGoals { get; init; }

    /// <summary>DVHs of the final dose.</summary>
    public required IReadOnlyList<Dvh> Dvhs { get; init; }

    /// <summary>Stage timings.</summary>
    public required PlanTimings Timings { get; init; }

    /// <summary>True when every goal passed.</summary>
    public bool AllGoalsPassed => Goals.All(g => g.Passed);

    /// <summary>Total MU per fraction.</summary>
    public double TotalMuPerFraction => Sequenced.Sum(b => b.MonitorUnits);
}
