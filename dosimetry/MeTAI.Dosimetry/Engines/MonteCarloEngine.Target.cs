using System.Diagnostics;
using ILGPU.Runtime;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Tallies;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>
    /// A run to a target uncertainty (<see cref="DoseRequest.Uncertainty"/>): a pilot of equal batches, then batches
    /// sized from the estimate so far (<see cref="UncertaintyStoppingRule.NextBatchHistories"/>), the rule checked after
    /// each batch on the mean σ over the stopping region. Histories are numbered on from batch to batch, so the same
    /// seed and target give the same dose bit for bit. The batch loop allocates nothing: the statistics, the per-voxel
    /// scale and the region's mean σ work on arrays made before it starts.
    /// </summary>
    internal DoseResult ExecuteToTarget(RunBuffers b, DoseRequest request, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        UncertaintyTarget target = request.Uncertainty!;
        Phantoms.VoxelPhantom phantom = request.Phantom;
        SetSource(b, request.Beam, phantom.Geometry);
        b.Statistics = new BatchStatistics(phantom.Geometry.VoxelCount);
        b.Tally.MemSetToZero();
        b.Counters.MemSetToZero();
        long perLaunch = (long)Math.Min(IndexCount, b.IndexCapacity) * HistoriesPerIndex;
        KernelRun kr = NewKernelRun(request);
        double[] scale = DoseScalePerVoxel(b, request);
        float[] rho = phantom.DensitiesGPerCm3;
        long histories = 0, deposited = 0, launches = 0;
        int batches = 0;
        double sigma = 0;
        StopReason stop = StopReason.Continue;
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        while (stop == StopReason.Continue)
        {
            long n = UncertaintyStoppingRule.NextBatchHistories(target, batches, histories, sigma);
            // Progress is the share of the cap; a run that stops on its target jumps to 1 at the end.
            long launchesCap = launches + (target.MaxHistories - histories + perLaunch - 1) / perLaunch;
            RunBatchFrom(b, ref kr, histories, n, perLaunch, ref launches, Math.Max(1, launchesCap), null, cancellationToken);
            deposited += b.Statistics.AddBatch(b.HostTally, b.GyPerFixedUnit, n);
            histories += n;
            batches++;
            sigma = b.Statistics.MeanRelativeUncertainty(scale, rho, MinReportDensityGPerCm3, request.UncertaintyRoi);
            stop = UncertaintyStoppingRule.Decide(target, batches, histories, sigma);
            progress?.Report(Math.Min(1, (double)histories / target.MaxHistories));
        }

        sw.Stop();
        progress?.Report(1);
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        b.Counters.View.CopyToCPU(b.HostCounters);
        var outcome = new TargetOutcome(stop, sigma, UncertaintyStoppingRule.UpperBound(sigma, batches, target.Confidence));
        DoseResult result = BuildResult(b, request, histories, batches, sw.Elapsed.TotalSeconds, deposited, outcome);
        result.ProcessCpuSeconds = cpuSeconds;
        return result;
    }

    /// <summary>How a run to a target ended: the reason, σ̂ over the stopping region and its upper bound.</summary>
    internal readonly record struct TargetOutcome(StopReason Stop, double Sigma, double UpperBound);
}
