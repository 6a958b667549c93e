using System.Globalization;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Compute;

namespace MeTAI.Planner.Dose;

/// <summary>
/// The segment doses of a plan run to a target uncertainty of the plan's dose Σₛ MUₛ·Dₛ (docs/monte-carlo.md,
/// "Stopping at a target uncertainty", plan dose). The doses are run in rounds, each a full
/// <see cref="SegmentDoses.Compute"/> with its own seed (10 batches per segment), and the rounds are combined by their
/// histories. After round r every segment's σ rests on 10r batches, so the plan dose's variance estimate has at least
/// 10r − 1 degrees of freedom: the rule of <see cref="UncertaintyStoppingRule"/> is applied with B = 10r to the mean σ of
/// the plan dose (at the sequenced MUs) over its stopping region — the voxels above 50 % of the maximum inside the body,
/// or a named ROI. The first round is the pilot; each later round is sized from the estimate so far for the bound at
/// the next round's batch count to meet the target. A round never goes past the cap, except that every segment gets at
/// least the 10 000 histories <see cref="SegmentDoses.Compute"/> gives it.
/// </summary>
public static class SegmentDosesToTarget
{
    /// <summary>Batches per segment in each round (the engine's minimum).</summary>
    public const int BatchesPerRound = 10;

    /// <summary>
    /// Runs rounds until the plan dose at <paramref name="monitorUnits"/> (one per segment) meets <paramref name="target"/>
    /// over <paramref name="roi"/> (null: D &gt; 50 % Dmax inside <paramref name="body"/>), or the cap is spent.
    /// </summary>
    public static SegmentDoses Compute(MonteCarloEngine engine, BeamModel model, VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, ReadOnlySpan<double> monitorUnits,
        UncertaintyTarget target, VoxelMask body, VoxelMask? roi, ulong seed, TextWriter? log = null, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Compute(LocalPlanUnitExecutor.Instance, engine, model, phantom, segments, monitorUnits, target, body, roi, seed, log, progress, cancellationToken);

    /// <summary>As the overload without <paramref name="executor"/>, each round run by <paramref name="executor"/>.</summary>
    public static SegmentDoses Compute(IPlanUnitExecutor executor, MonteCarloEngine engine, BeamModel model, VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments,
        ReadOnlySpan<double> monitorUnits, UncertaintyTarget target, VoxelMask body, VoxelMask? roi, ulong seed, TextWriter? log = null, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(phantom);
        target.Validate();
        if (target.MinBatches != BatchesPerRound)
        {
            throw new ArgumentException($"A plan dose runs in rounds of {BatchesPerRound} batches per segment; the target's minimum batches must be {BatchesPerRound}.", nameof(target));
        }

        double[] mu = monitorUnits.ToArray();
        VoxelMask kept = DoseMask.Kept(body, phantom.DensitiesGPerCm3);
        SegmentDoses? all = null;
        long next = target.PilotHistories;
        for (int round = 1; ; round++)
        {
            SegmentDoses run = executor.ComputeSegmentRound(engine, model, phantom, segments, next, seed + (ulong)(round - 1) * 15_485_863, null, null, cancellationToken);
            all = all is null ? run : SegmentDoses.Combine(all, run);
            int batches = BatchesPerRound * round;
            double sigma = Sigma(all, mu, kept, roi);
            StopReason stop = UncertaintyStoppingRule.Decide(target, batches, all.Histories, sigma);
            double bound = UncertaintyStoppingRule.UpperBound(sigma, batches, target.Confidence);
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  final dose round {round}: {all.Histories / 1e6:0.0} M histories, σ {100 * sigma:0.00} % over {roi?.Name ?? "D > 50 % Dmax"}, upper bound {100 * bound:0.00} % (target {100 * target.RelativeUncertainty:0.##} %)"));
            progress?.Report(Math.Min(1, (double)all.Histories / Math.Max(all.Histories, Predicted(target, batches + BatchesPerRound, all.Histories, sigma))));
            if (stop != StopReason.Continue)
            {
                progress?.Report(1);
                return all.WithOutcome(target, stop, sigma, bound);
            }

            // Histories for the bound at the next round's batch count to meet the target (σ ∝ 1/√N), at least a pilot.
            long predicted = Predicted(target, batches + BatchesPerRound, all.Histories, sigma);
            next = Math.Min(Math.Max(predicted - all.Histories, target.PilotHistories), target.MaxHistories - all.Histories);
        }
    }

    private static long Predicted(UncertaintyTarget target, int batches, long histories, double sigma)
    {
        if (!(sigma > 0))
        {
            return target.MaxHistories;
        }

        double ratio = sigma * UncertaintyStoppingRule.UpperBoundFactor(batches, target.Confidence) / target.RelativeUncertainty;
        return (long)Math.Min(target.MaxHistories, Math.Ceiling(histories * ratio * ratio));
    }

    /// <summary>Mean relative σ of Σ MU·D over the ROI (inside the kept voxels), or over D &gt; 50 % Dmax of the kept voxels.</summary>
    internal static double Sigma(SegmentDoses doses, double[] mu, VoxelMask kept, VoxelMask? roi)
    {
        (VoxelGrid<float> dose, VoxelGrid<float> rel) = doses.Sum(mu);
        VoxelGrid<float> d = DoseMask.Apply(dose, kept), u = DoseMask.Apply(rel, kept);
        if (roi is null)
        {
            return DoseMask.MeanRelUncertaintyAbove50(d, u);
        }

        double s = 0;
        int n = 0;
        for (int v = 0; v < u.Data.Length; v++)
        {
            if (roi.Voxels[v] != 0 && kept.Voxels[v] != 0)
            {
                s += u.Data[v];
                n++;
            }
        }

        return n > 0 ? s / n : 0;
    }
}
