using System.Globalization;
using MeTAI.Dosimetry.Beams;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Solver;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// Leaf sequencing (matRad's <c>sequencing</c>): each beam's optimised fluence per fraction into step-and-shoot MLC
/// segments, then the segment MUs re-optimised on the influence matrix (when on); the result is the deliverable
/// plan as <see cref="DeliverySegment"/>s, the segments the final dose simulates.
/// </summary>
internal sealed class SequencingStage : IPlanStage
{
    /// <inheritdoc />
    public PlanStage Stage => PlanStage.Sequencing;

    /// <inheritdoc />
    public string Starting(PlanContext context) => "leaf sequencing";

    /// <inheritdoc />
    public void Run(PlanContext context)
    {
        PlanSettings settings = context.Settings;
        var options = new SequencingOptions
        {
            Levels = settings.SequencingLevels ?? context.Protocol.SequencingLevels,
            MinSegmentMu = settings.MinSegmentMu ?? context.Protocol.MinSegmentMu,
            LeafWidthMm = settings.LeafWidthMm,
            LeafPairs = settings.LeafPairs,
        };
        context.MinSegmentMu = options.MinSegmentMu;
        context.Sequenced = Sequence(context, options);
        if (settings.SegmentWeightOptimization)
        {
            context.Progress.Report(PlanStage.Sequencing, 0.5, "segment weights");
            OptimizeSegments(context);
        }
        else
        {
            context.SequencedGoals = context.PredictGoals(context.Problem, DeliveredFluence(context));
        }

        context.Delivery = [.. context.Sequenced.SelectMany(b => b.DeliverySegments(context.Model.SadMm))];
        List<SequencedBeam> sequenced = context.Sequenced;
        OptimizationResult? segmentRun = context.SegmentRun;
        string swo = segmentRun is null ? string.Empty : string.Create(CultureInfo.InvariantCulture,
            $", segment weights re-optimised F {segmentRun.History[0].Objective:0.###e0} → {segmentRun.Objective:0.###e0} in {segmentRun.Iterations} iterations");
        context.Log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sequence: {sequenced.Sum(b => b.Segments.Count)} segments ({string.Join(", ", sequenced.Select(b => b.Segments.Count))}), {sequenced.Sum(b => b.MonitorUnits):0.0} MU per fraction{swo}, {context.StageSeconds:0.0} s; predicted: {string.Join(", ", context.SequencedGoals.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Structure} {f.Metric} {f.Achieved:0.00}")))}"));
    }

    /// <inheritdoc />
    public string? Finished(PlanContext context) => null;

    /// <summary>Each beam's beamlet weights per fraction, sequenced.</summary>
    private static List<SequencedBeam> Sequence(PlanContext context, SequencingOptions options)
    {
        // The beam model's leaves when it has an MLC (the RT Plan then names the leaves the dose was computed with).
        MlcModel mlc = context.Model.Collimator?.Mlc is MlcGeometry head
            ? new MlcModel([.. head.LeafBoundariesMm])
            : MlcModel.Uniform(context.Settings.LeafWidthMm, context.Settings.LeafPairs);
        IReadOnlyList<BeamletGrid> grids = context.Grids;
        var sequenced = new List<SequencedBeam>();
        int col = 0;
        foreach (BeamletGrid grid in grids)
        {
            var w = new double[grid.Count];
            for (int n = 0; n < w.Length; n++)
            {
                w[n] = context.Weights[col + n] / context.Rx.Fractions;
            }

            col += grid.Count;
            sequenced.Add(LeafSequencer.Sequence(grid, w, mlc, options));
            context.Progress.Report(PlanStage.Sequencing, 0.5 * sequenced.Count / grids.Count, string.Create(CultureInfo.InvariantCulture, $"leaf sequencing, beam {sequenced.Count}/{grids.Count}"));
        }

        return sequenced;
    }

    /// <summary>Segment MUs re-optimised on the influence matrix (each segment a column: the beamlet doses it opens), at least the minimum segment MU.</summary>
    private static void OptimizeSegments(PlanContext context)
    {
        List<SequencedBeam> sequenced = context.Sequenced;
        int fractions = context.Rx.Fractions;
        CsrMatrix b = SegmentMatrix.Build(context.Influence, context.Grids, sequenced);
        using var op = new CpuDoseOperator(b);
        var problem = new FluenceProblem(op, context.PlanObjective);
        var x = new double[b.Columns];
        var lower = new double[b.Columns];
        int c = 0;
        foreach (SequencedBeam sb in sequenced)
        {
            foreach (Segment s in sb.Segments)
            {
                x[c] = s.MonitorUnits * fractions;
                lower[c] = context.MinSegmentMu * fractions;
                c++;
            }
        }

        context.SegmentRun = new ProjectedLbfgsB(context.Settings.Optimizer).Minimize(problem, x, lower, preconditioner: problem.DiagonalPreconditioner(x), cancellationToken: context.CancellationToken);
        c = 0;
        context.Sequenced = [.. sequenced.Select(sb => sb with { Segments = [.. sb.Segments.Select(s => s with { MonitorUnits = x[c++] / fractions })] })];
        var rowDose = new float[context.Influence.Rows];
        problem.DoseOf(x, rowDose);
        context.SequencedGoals = context.PredictGoals(rowDose);
    }

    /// <summary>The beamlet fluence (MU for the course) the sequenced segments deliver.</summary>
    private static double[] DeliveredFluence(PlanContext context)
    {
        var seqX = new double[context.Weights.Length];
        int c0 = 0;
        for (int b = 0; b < context.Grids.Count; b++)
        {
            double[] dw = LeafSequencer.DeliveredWeights(context.Grids[b], context.Sequenced[b]);
            for (int n = 0; n < dw.Length; n++)
            {
                seqX[c0 + n] = dw[n] * context.Rx.Fractions;
            }

            c0 += dw.Length;
        }

        return seqX;
    }
}
