using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Compute;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Objectives;
using MeTAI.Planner.Optimization.Solver;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// What a plan's stages share: the inputs, the progress sink and log, and each stage's products, in the order the
/// stages make them. A product is set by the stage named in its summary and read by the stages after it. Owns the
/// Monte Carlo engine and the dose operator (disposed with the context).
/// </summary>
internal sealed class PlanContext(PlanCase plan, Protocol protocol, PlanSettings settings, TextWriter? log, PlanProgressTracker progress, CancellationToken cancellationToken) : IDisposable
{
    private readonly Stopwatch _stageClock = new();

    /// <summary>The case; <see cref="BeamsStage"/> adds the protocol's rings.</summary>
    public PlanCase Case { get; set; } = plan;

    /// <summary>Prescription, objectives, goals, beams.</summary>
    public Protocol Protocol { get; } = protocol;

    /// <summary>How to run.</summary>
    public PlanSettings Settings { get; } = settings;

    /// <summary>The prescription.</summary>
    public Prescription Rx => Protocol.Prescription;

    /// <summary>Progress lines, or null.</summary>
    public TextWriter? Log { get; } = log;

    /// <summary>Stage and fraction reports.</summary>
    public PlanProgressTracker Progress { get; } = progress;

    /// <summary>Checked between stages, beamlets, optimiser iterations and segments.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Where the Monte Carlo units run (the influence columns, the final dose's segment rounds).</summary>
    public IPlanUnitExecutor Executor { get; init; } = LocalPlanUnitExecutor.Instance;

    /// <summary>Seconds since the running stage started.</summary>
    public double StageSeconds => _stageClock.Elapsed.TotalSeconds;

    // BeamsStage.

    /// <summary>The body outline (<see cref="BeamsStage"/>).</summary>
    public VoxelMask Body { get; set; } = null!;

    /// <summary>The prescription's target (<see cref="BeamsStage"/>).</summary>
    public VoxelMask RxMask { get; set; } = null!;

    /// <summary>The isocentre, LPS mm: the target's centroid (<see cref="BeamsStage"/>).</summary>
    public Vec3 IsocenterLps { get; set; }

    /// <summary>The beam model (<see cref="BeamsStage"/>).</summary>
    public BeamModel Model { get; set; } = null!;

    /// <summary>Beamlet grids, one per beam (<see cref="BeamsStage"/>).</summary>
    public IReadOnlyList<BeamletGrid> Grids { get; set; } = null!;

    /// <summary>Number of beamlets of all beams.</summary>
    public int BeamletCount => Grids.Sum(g => g.Count);

    /// <summary>Grid voxels that get influence-matrix rows (<see cref="BeamsStage"/>).</summary>
    public int[] VoxelIndices { get; set; } = null!;

    /// <summary>The CT as materials and densities (<see cref="BeamsStage"/>).</summary>
    public VoxelPhantom Phantom { get; set; } = null!;

    /// <summary>The Monte Carlo engine (<see cref="BeamsStage"/>; disposed with the context).</summary>
    public MonteCarloEngine Engine { get; set; } = null!;

    // InfluenceStage.

    /// <summary>The influence matrix (<see cref="InfluenceStage"/>).</summary>
    public InfluenceMatrix Influence { get; set; } = null!;

    /// <summary>True when the influence matrix came from the cache (<see cref="InfluenceStage"/>).</summary>
    public bool InfluenceFromCache { get; set; }

    // FluenceOptimizationStage.

    /// <summary>One objective per protocol objective, with their current weights (<see cref="FluenceOptimizationStage"/>; re-weighted later too).</summary>
    public List<IObjective> Objectives { get; set; } = null!;

    /// <summary>The influence-matrix products (<see cref="FluenceOptimizationStage"/>; disposed with the context).</summary>
    public IDoseOperator Operator { get; set; } = null!;

    /// <summary>The weighted sum of <see cref="Objectives"/> (<see cref="FluenceOptimizationStage"/>).</summary>
    public PlanObjective PlanObjective { get; set; } = null!;

    /// <summary>The fluence problem on <see cref="Operator"/> (<see cref="FluenceOptimizationStage"/>).</summary>
    public FluenceProblem Problem { get; set; } = null!;

    /// <summary>Optimised beamlet weights, MU for the course (<see cref="FluenceOptimizationStage"/>).</summary>
    public double[] Weights { get; set; } = null!;

    /// <summary>The fluence optimisation runs (<see cref="FluenceOptimizationStage"/>).</summary>
    public List<OptimizationResult> FluenceRuns { get; } = [];

    /// <summary>Goals predicted on the optimised fluence (<see cref="FluenceOptimizationStage"/>).</summary>
    public IReadOnlyList<GoalResult> PredictedGoals { get; set; } = [];

    // SequencingStage.

    /// <summary>Minimum segment MU per fraction (<see cref="SequencingStage"/>).</summary>
    public double MinSegmentMu { get; set; }

    /// <summary>The sequenced beams, MU per fraction (<see cref="SequencingStage"/>; <see cref="FinalDoseStage"/> sets their final MU).</summary>
    public List<SequencedBeam> Sequenced { get; set; } = null!;

    /// <summary>The segments as the machine delivers them, in plan order (<see cref="SequencingStage"/>).</summary>
    public IReadOnlyList<DeliverySegment> Delivery { get; set; } = null!;

    /// <summary>The segment weight optimisation (<see cref="SequencingStage"/>; null when off).</summary>
    public OptimizationResult? SegmentRun { get; set; }

    /// <summary>Goals predicted on the sequenced segments (<see cref="SequencingStage"/>).</summary>
    public IReadOnlyList<GoalResult> SequencedGoals { get; set; } = [];

    // FinalDoseStage.

    /// <summary>The final Monte Carlo dose, normalised (<see cref="FinalDoseStage"/>).</summary>
    public PlanDose FinalDose { get; set; } = null!;

    /// <summary>The normalisation factor applied to MU and dose (<see cref="FinalDoseStage"/>).</summary>
    public double NormalizationFactor { get; set; } = 1;

    /// <summary>The segment weight optimisation on the Monte Carlo segment doses (<see cref="FinalDoseStage"/>; null when off).</summary>
    public OptimizationResult? MonteCarloSegmentRun { get; set; }

    // EvaluationStage.

    /// <summary>Metrics per structure of the final dose (<see cref="EvaluationStage"/>).</summary>
    public IReadOnlyDictionary<string, StructureMetrics> Metrics { get; set; } = null!;

    /// <summary>DVHs of the final dose (<see cref="EvaluationStage"/>).</summary>
    public IReadOnlyList<Dvh> Dvhs { get; set; } = null!;

    /// <summary>Clinical goals on the final dose (<see cref="EvaluationStage"/>).</summary>
    public IReadOnlyList<GoalResult> Goals { get; set; } = null!;

    /// <summary>Goals on the raw (not denoised) final dose (<see cref="EvaluationStage"/>).</summary>
    public IReadOnlyList<GoalResult> RawDoseGoals { get; set; } = [];

    /// <summary>Restarts <see cref="StageSeconds"/>.</summary>
    public void StartStageClock() => _stageClock.Restart();

    /// <summary>Goals on the dose of fluence <paramref name="x"/> as the influence matrix predicts it.</summary>
    public IReadOnlyList<GoalResult> PredictGoals(FluenceProblem problem, double[] x)
    {
        var rowDose = new float[Influence.Rows];
        problem.DoseOf(x, rowDose);
        return PredictGoals(rowDose);
    }

    /// <summary>Goals on the influence-matrix rows' dose <paramref name="rowDose"/>, normalised like the final dose.</summary>
    public IReadOnlyList<GoalResult> PredictGoals(float[] rowDose)
    {
        float[] grid = Influence.ToGrid(rowDose);
        if (Protocol.Normalization is NormalizationSpec norm)
        {
            var sd = new StructureDose(norm.Structure, grid, Case.Structure(norm.Structure).Mask);
            double v = sd.Value(DoseMetrics.Parse(norm.Metric), Rx.DoseGy);
            if (v > 0)
            {
                float k = (float)(norm.Percent / 100 * Rx.DoseGy / v);
                for (int n = 0; n < grid.Length; n++)
                {
                    grid[n] *= k;
                }
            }
        }

        return GoalEvaluator.Evaluate(Protocol.Goals, name => new StructureDose(name, grid, Case.Structure(name).Mask), Rx.DoseGy);
    }

    /// <summary>Everything the stages produced, with <paramref name="timings"/>.</summary>
    public PlanResult Result(PlanTimings timings) => new()
    {
        Case = Case,
        Protocol = Protocol,
        Settings = Settings,
        IsocenterLps = IsocenterLps,
        SadMm = Model.SadMm,
        Grids = Grids,
        Influence = (Influence.Rows, Influence.Columns, Influence.Matrix.NonZeros, InfluenceFromCache),
        OperatorName = Operator.Name,
        FluenceRuns = FluenceRuns,
        SegmentRun = SegmentRun,
        MonteCarloSegmentRun = MonteCarloSegmentRun,
        FinalWeights = [.. Objectives.Select(o => o.Weight)],
        PredictedGoals = PredictedGoals,
        SequencedGoals = SequencedGoals,
        Sequenced = Sequenced,
        FinalDose = FinalDose,
        NormalizationFactor = NormalizationFactor,
        Metrics = Metrics,
        Goals = Goals,
        RawDoseGoals = RawDoseGoals,
        Dvhs = Dvhs,
        Timings = timings,
    };

    /// <inheritdoc />
    public void Dispose()
    {
        Operator?.Dispose();
        Engine?.Dispose();
    }
}
