using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Solver;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// The final Monte Carlo dose on the deliverable apertures: every segment simulated on its own, its MU re-optimised on
/// those Monte Carlo doses (the plan dose is linear in them), then denoised and normalised. When a goal misses its
/// margin on the (denoised, normalised) result, the objectives of that structure are boosted and the weights
/// re-optimised — no new Monte Carlo.
/// </summary>
internal sealed class FinalDoseStage : IPlanStage
{
    // The segments' Monte Carlo is 90 % of this stage's progress; the weight rounds on its doses the rest.
    private const double SegmentShare = 0.9, WeightShare = 0.1;

    /// <inheritdoc />
    public PlanStage Stage => PlanStage.FinalDose;

    /// <inheritdoc />
    public string Starting(PlanContext context) => string.Create(CultureInfo.InvariantCulture, $"Monte Carlo dose of {context.Delivery.Count} segments");

    /// <inheritdoc />
    public void Run(PlanContext context)
    {
        int fractions = context.Rx.Fractions;
        SegmentDoses segmentDoses = Simulate(context);
        double[] mu = [.. context.Sequenced.SelectMany(sb => sb.Segments).Select(seg => seg.MonitorUnits * fractions)];
        (PlanDose final, double factor) = WeightRounds(context, segmentDoses, mu);

        int si = 0;
        List<SequencedBeam> sequenced = [.. context.Sequenced.Select(sb => sb with { Segments = [.. sb.Segments.Select(seg => seg with { MonitorUnits = mu[si++] / fractions })] })];
        context.Sequenced = [.. sequenced.Select(b => b with { Segments = [.. b.Segments.Select(s => s with { MonitorUnits = s.MonitorUnits * factor })] })];
        context.FinalDose = final = Scale(final, factor, segmentDoses);
        context.NormalizationFactor = factor;
        VoxelMask rxMask = context.RxMask;
        context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  final dose: mean σ in {context.Rx.Target}: {100 * MeanOver(final.RawRelativeUncertainty.Data, rxMask):0.00} % raw, {100 * MeanOver(final.RelativeUncertainty.Data, rxMask):0.00} % as used"));
        context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  final dose: {final.Histories / 1e6:0.0} M histories on {final.DeviceName}, {final.Seconds:0.0} s, σ(D>50%) {100 * final.RawMeanRelUncertaintyAbove50:0.0} % raw" +
            $"{(final.Denoised ? $", {100 * final.MeanRelUncertaintyAbove50:0.0} % denoised ({100 * final.SmoothedFraction:0} % of voxel steps smoothed)" : string.Empty)}, normalisation × {factor:0.000}"));
    }

    /// <inheritdoc />
    public string? Finished(PlanContext context) => null;

    /// <summary>Monte Carlo dose per MU of every delivery segment.</summary>
    private static SegmentDoses Simulate(PlanContext context)
    {
        int segmentCount = context.Delivery.Count;
        IProgress<double>? segmentProgress = context.Progress.Stage(PlanStage.FinalDose,
            f => string.Create(CultureInfo.InvariantCulture, $"Monte Carlo dose of {segmentCount} segments, {100 * f:0} % of the histories"));
        IProgress<double>? scaled = segmentProgress is null ? null : new ScaledProgress(segmentProgress, SegmentShare);
        PlanSettings settings = context.Settings;
        if (settings.FinalTarget() is { } target)
        {
            double[] mu = [.. context.Delivery.Select(d => d.MonitorUnits)];
            VoxelMask? roi = settings.FinalUncertaintyRoi is string name ? context.Case.Structure(name).Mask : null;
            return SegmentDosesToTarget.Compute(context.Executor, context.Engine, context.Model, context.Phantom, context.Delivery, mu, target, context.Body, roi, settings.Seed + 1_000_003, context.Log,
                scaled, context.CancellationToken);
        }

        return context.Executor.ComputeSegmentRound(context.Engine, context.Model, context.Phantom, context.Delivery, settings.FinalHistories, settings.Seed + 1_000_003, context.Log,
            scaled, context.CancellationToken);
    }

    /// <summary>
    /// Segment weights (<paramref name="mu"/>, MU for the course, updated in place) on the Monte Carlo segment doses,
    /// re-weighted while goals miss their margin; returns the (denoised) dose and the normalisation factor.
    /// </summary>
    private static (PlanDose Dose, double Factor) WeightRounds(PlanContext context, SegmentDoses segmentDoses, double[] mu)
    {
        PlanSettings settings = context.Settings;
        using var mcOp = new CpuDoseOperator(segmentDoses.Matrix(context.VoxelIndices));
        var mcProblem = new FluenceProblem(mcOp, context.PlanObjective);
        var mcLower = new double[mu.Length];
        Array.Fill(mcLower, context.MinSegmentMu * context.Rx.Fractions);
        for (int round = 0; ; round++)
        {
            context.Progress.Report(PlanStage.FinalDose, SegmentShare + WeightShare * round / (settings.ReweightRounds + 1),
                string.Create(CultureInfo.InvariantCulture, $"segment weights on the Monte Carlo doses, round {round + 1}"));
            if (settings.MonteCarloSegmentWeights)
            {
                context.MonteCarloSegmentRun = new ProjectedLbfgsB(settings.Optimizer).Minimize(mcProblem, mu, mcLower, preconditioner: mcProblem.DiagonalPreconditioner(mu), cancellationToken: context.CancellationToken);
            }

            PlanDose dose = Finish(context, segmentDoses, mu);
            double factor = NormalizationFactor(context, dose);
            IReadOnlyList<GoalResult> check = EvaluationStage.Evaluate(context.Case, context.Protocol, Scale(dose, factor, null).DoseGy.Data, context.Body).Goals;
            List<GoalResult> failing = GoalReweighting.Failing(check, settings.FinalGoalMargin);
            OptimizationResult? run = context.MonteCarloSegmentRun;
            context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  segment weights on the Monte Carlo segment doses{(round > 0 ? $" (round {round + 1})" : string.Empty)}: " +
                $"{(run is null ? "off" : $"F {run.History[0].Objective:0.###e0} → {run.Objective:0.###e0} in {run.Iterations} iterations")}; " +
                $"goals missing their margin: {GoalReweighting.Describe(failing)}"));
            if (failing.Count == 0 || !settings.MonteCarloSegmentWeights || round >= settings.ReweightRounds)
            {
                return (dose, factor);
            }

            GoalReweighting.Boost(context.Objectives, failing);
        }
    }

    /// <summary>Σ MU·D of the segments, with its uncertainty, kept inside the body (<see cref="DoseMask"/>), denoised when asked.</summary>
    private static PlanDose Finish(PlanContext context, SegmentDoses segmentDoses, double[] mu)
    {
        IReadOnlyList<DeliverySegment> delivery = context.Delivery;
        (VoxelGrid<float> rawDose, VoxelGrid<float> rawUnc) = segmentDoses.Sum(mu);
        return PlanDoseCalculator.Finish(rawDose, rawUnc, context.Phantom.DensitiesGPerCm3, context.Body, context.Settings.Denoise, segmentDoses.Histories, segmentDoses.Seconds, segmentDoses.DeviceName,
            [.. delivery.Select((d, n) => new BeamDoseRecord(d.BeamNumber, mu[n], d.Rectangles.Count, 0, 0, 0))]);
    }

    /// <summary>The factor that brings the protocol's normalisation metric to its percentage of the prescription (1 without).</summary>
    private static double NormalizationFactor(PlanContext context, PlanDose dose)
    {
        if (context.Protocol.Normalization is not NormalizationSpec norm)
        {
            return 1;
        }

        double rxGy = context.Rx.DoseGy;
        var sd = new StructureDose(norm.Structure, dose.DoseGy.Data, context.Case.Structure(norm.Structure).Mask);
        double value = sd.Value(DoseMetrics.Parse(norm.Metric), rxGy);
        return value > 0 ? norm.Percent / 100 * rxGy / value : 1;
    }

    private static PlanDose Scale(PlanDose d, double factor, SegmentDoses? run)
    {
        var grid = new VoxelGrid<float>(d.DoseGy.Geometry);
        for (int n = 0; n < grid.Data.Length; n++)
        {
            grid.Data[n] = (float)(d.DoseGy.Data[n] * factor);
        }

        var raw = new VoxelGrid<float>(d.RawDoseGy.Geometry);
        for (int n = 0; n < raw.Data.Length; n++)
        {
            raw.Data[n] = (float)(d.RawDoseGy.Data[n] * factor);
        }

        return new PlanDose
        {
            DoseGy = grid,
            RelativeUncertainty = d.RelativeUncertainty,
            MeanRelUncertaintyAbove50 = d.MeanRelUncertaintyAbove50,
            RawDoseGy = raw,
            RawRelativeUncertainty = d.RawRelativeUncertainty,
            RawMeanRelUncertaintyAbove50 = d.RawMeanRelUncertaintyAbove50,
            Denoised = d.Denoised,
            SmoothedFraction = d.SmoothedFraction,
            Beams = [.. d.Beams.Select(b => b with { MonitorUnits = b.MonitorUnits * factor })],
            HistoriesSimulated = d.HistoriesSimulated,
            Seconds = d.Seconds,
            DeviceName = d.DeviceName,
            MaxDoseGy = DoseMask.Max(grid),
            Body = d.Body,
            IsDoseToWater = d.IsDoseToWater,
            Target = run?.Target ?? d.Target,
            Stop = run?.Stop ?? d.Stop,
            StoppingUncertainty = run?.StoppingUncertainty ?? d.StoppingUncertainty,
            StoppingUpperBound = run?.StoppingUpperBound ?? d.StoppingUpperBound,
        };
    }

    private static double MeanOver(float[] values, VoxelMask mask)
    {
        double s = 0;
        int n = 0;
        for (int v = 0; v < values.Length; v++)
        {
            if (mask.Voxels[v] != 0)
            {
                s += values[v];
                n++;
            }
        }

        return n > 0 ? s / n : 0;
    }

    // Scales a sub-step's 0–1 fraction into the first part of its stage, on the calling thread.
    private sealed class ScaledProgress(IProgress<double> inner, double scale) : IProgress<double>
    {
        public void Report(double value) => inner.Report(scale * value);
    }
}
