using System.Diagnostics;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Compute;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Plans.Stages;

namespace MeTAI.Planner.Plans;

/// <summary>
/// The planning pipeline, in matRad's order, one stage type each (<c>Plans/Stages</c>): beams and beamlets
/// (<c>generateStf</c>) → influence matrix (<c>calcDoseInfluence</c>) → fluence optimisation
/// (<c>fluenceOptimization</c>, with goal-driven re-weighting) → leaf sequencing and segment weight optimisation
/// (<c>sequencing</c>) → final Monte Carlo dose on the deliverable apertures, normalised → evaluation
/// (<c>planAnalysis</c>). Progress lines go to the log writer; stage and fraction reports (<see cref="PlanStageProgress"/>)
/// to an optional progress sink. The RT Plan of the result is built in output (<see cref="Output.RtPlanBuilder"/>).
/// </summary>
public static class PlanPipeline
{
    private static readonly IPlanStage[] Stages =
    [
        new BeamsStage(),
        new InfluenceStage(),
        new FluenceOptimizationStage(),
        new SequencingStage(),
        new FinalDoseStage(),
        new EvaluationStage(),
    ];

    /// <summary>Plans <paramref name="plan"/> with <paramref name="protocol"/>.</summary>
    /// <param name="plan">The case.</param>
    /// <param name="protocol">Prescription, objectives, goals, beams.</param>
    /// <param name="settings">How to run (null: the defaults).</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="cancellationToken">Checked between stages, beamlets, optimiser iterations and segments.</param>
    /// <exception cref="KeyNotFoundException">The protocol names a structure the case lacks (the message lists the case's).</exception>
    public static PlanResult Run(PlanCase plan, Protocol protocol, PlanSettings? settings, TextWriter? log, CancellationToken cancellationToken) =>
        Run(plan, protocol, settings, log, null, cancellationToken);

    /// <summary>Plans <paramref name="plan"/> with <paramref name="protocol"/>, reporting each stage's progress.</summary>
    /// <param name="plan">The case.</param>
    /// <param name="protocol">Prescription, objectives, goals, beams.</param>
    /// <param name="settings">How to run (null: the defaults).</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="progress">Stage and fraction reports, on the planning thread (null: none).</param>
    /// <param name="cancellationToken">Checked between stages, beamlets, optimiser iterations and segments.</param>
    /// <exception cref="KeyNotFoundException">The protocol names a structure the case lacks (the message lists the case's).</exception>
    public static PlanResult Run(PlanCase plan, Protocol protocol, PlanSettings? settings = null, TextWriter? log = null, IProgress<PlanStageProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Run(plan, protocol, settings, log, progress, LocalPlanUnitExecutor.Instance, cancellationToken);

    /// <summary>Plans <paramref name="plan"/> with <paramref name="protocol"/>, its Monte Carlo units run by <paramref name="executor"/>.</summary>
    /// <param name="plan">The case.</param>
    /// <param name="protocol">Prescription, objectives, goals, beams.</param>
    /// <param name="settings">How to run (null: the defaults).</param>
    /// <param name="log">Progress lines, or null.</param>
    /// <param name="progress">Stage and fraction reports, on the planning thread (null: none).</param>
    /// <param name="executor">Where the influence columns and the final dose's segments run (the same bits wherever).</param>
    /// <param name="cancellationToken">Checked between stages, beamlets, optimiser iterations and segments.</param>
    /// <exception cref="KeyNotFoundException">The protocol names a structure the case lacks (the message lists the case's).</exception>
    public static PlanResult Run(PlanCase plan, Protocol protocol, PlanSettings? settings, TextWriter? log, IProgress<PlanStageProgress>? progress, IPlanUnitExecutor executor,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(executor);
        settings ??= new PlanSettings();
        settings.Validate();
        var total = Stopwatch.StartNew();
        using var context = new PlanContext(plan, protocol, settings, log, new PlanProgressTracker(progress), cancellationToken) { Executor = executor };
        var seconds = new Dictionary<PlanStage, double>();
        foreach (IPlanStage stage in Stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            context.StartStageClock();
            context.Progress.Report(stage.Stage, 0, stage.Starting(context));
            stage.Run(context);
            seconds[stage.Stage] = context.StageSeconds;
            if (stage.Finished(context) is string detail)
            {
                context.Progress.Report(stage.Stage, 1, detail);
            }
        }

        return context.Result(Timings(seconds, total.Elapsed.TotalSeconds));
    }

    /// <summary>Metrics of every structure, DVHs, and the protocol's goals on <paramref name="doseGy"/>.</summary>
    public static (Dictionary<string, StructureMetrics> Metrics, List<Dvh> Dvhs, IReadOnlyList<GoalResult> Goals) Evaluate(PlanCase plan, Protocol protocol, float[] doseGy, VoxelMask body) =>
        EvaluationStage.Evaluate(plan, protocol, doseGy, body);

    /// <summary>The Monte Carlo and optimisation stages on their own; case set-up and evaluation are the rest.</summary>
    private static PlanTimings Timings(Dictionary<PlanStage, double> seconds, double totalSeconds)
    {
        var timings = new PlanTimings
        {
            InfluenceSeconds = seconds[PlanStage.Influence],
            OptimizationSeconds = seconds[PlanStage.Optimization],
            SequencingSeconds = seconds[PlanStage.Sequencing],
            FinalDoseSeconds = seconds[PlanStage.FinalDose],
        };
        return timings with { OtherSeconds = totalSeconds - timings.InfluenceSeconds - timings.OptimizationSeconds - timings.SequencingSeconds - timings.FinalDoseSeconds };
    }
}
