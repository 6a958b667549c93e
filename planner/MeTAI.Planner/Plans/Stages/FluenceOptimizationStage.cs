using System.Globalization;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Objectives;
using MeTAI.Planner.Optimization.Solver;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// Fluence optimisation (matRad's <c>fluenceOptimization</c>): projected L-BFGS-B on the beamlet weights from a uniform
/// start, with a smoothness term; while goals predicted by the influence matrix miss their margin, the objectives
/// pushing their way are boosted (<see cref="GoalReweighting"/>) and the weights re-optimised, up to
/// <see cref="PlanSettings.ReweightRounds"/> more times.
/// </summary>
internal sealed class FluenceOptimizationStage : IPlanStage
{
    /// <inheritdoc />
    public PlanStage Stage => PlanStage.Optimization;

    /// <inheritdoc />
    public string Starting(PlanContext context) => RoundDetail(0);

    /// <inheritdoc />
    public void Run(PlanContext context)
    {
        PlanSettings settings = context.Settings;
        InfluenceMatrix influence = context.Influence;
        context.Objectives = [.. context.Protocol.Objectives.Select(o => o.Create(influence.RowsOf(context.Case.Structure(o.Structure).Mask)))];
        context.Operator = settings.IlgpuSpmv ? new IlgpuDoseOperator(influence.Matrix, settings.Device) : new CpuDoseOperator(influence.Matrix);
        context.PlanObjective = new PlanObjective(context.Objectives, influence.Rows);
        var problem = new FluenceProblem(context.Operator, context.PlanObjective);
        context.Problem = problem;
        double[] x = InitialFluence.Uniform(context.Operator, influence.RowsOf(context.RxMask), context.Rx.DoseGy);
        context.Weights = x;
        if (settings.FluenceSmoothing > 0)
        {
            problem.Smoothing = new FluenceSmoothing(context.Grids, settings.FluenceSmoothing, x.Average());
        }

        var lower = new double[x.Length];
        var optimizer = new ProjectedLbfgsB(settings.Optimizer);
        for (int round = 0; ; round++)
        {
            if (round > 0)
            {
                context.Progress.Report(PlanStage.Optimization, round / (double)(settings.ReweightRounds + 1), RoundDetail(round));
            }

            OptimizationResult r = optimizer.Minimize(problem, x, lower, preconditioner: problem.DiagonalPreconditioner(x), cancellationToken: context.CancellationToken);
            context.FluenceRuns.Add(r);
            context.PredictedGoals = context.PredictGoals(problem, x);
            List<GoalResult> failing = GoalReweighting.Failing(context.PredictedGoals, settings.GoalMargin);
            context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  optimise{(round > 0 ? $" (round {round + 1})" : string.Empty)}: {r.Iterations} iterations, {r.Evaluations} evaluations, F {r.History[0].Objective:0.###e0} → {r.Objective:0.###e0}, {r.Seconds:0.00} s ({r.StopReason}); predicted goals failing: {GoalReweighting.Describe(failing)}"));
            if (failing.Count == 0 || round >= settings.ReweightRounds)
            {
                break;
            }

            GoalReweighting.Boost(context.Objectives, failing);
        }
    }

    /// <inheritdoc />
    public string? Finished(PlanContext context) => null;

    private static string RoundDetail(int round) => string.Create(CultureInfo.InvariantCulture, $"fluence optimisation, round {round + 1}");
}
