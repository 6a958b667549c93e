using ILGPU.Runtime;
using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Engines;

public sealed partial class MonteCarloEngine
{
    /// <summary>
    /// Histories [<paramref name="firstHistory"/>, <paramref name="firstHistory"/> + <paramref name="count"/>) of
    /// <paramref name="request"/>'s beam and seed, as raw integer tallies: the fixed-point energy per voxel into
    /// <paramref name="tally"/> and the kernel's counters into <paramref name="counters"/> (both overwritten). History h
    /// draws from its own Philox stream (seed, h) and deposits with integer atomic adds, so ranges that cover a batch
    /// sum to that batch's tally exactly, in any order and on any session of the same device kind and build (docs/cluster.md,
    /// §4.4); the counters sum, except the deepest primary (<see cref="TransportKernel.CounterMaxPrimaryDepth"/>), a maximum.
    /// </summary>
    internal void ExecuteRange(RunBuffers b, DoseRequest request, long firstHistory, long count, long[] tally, long[] counters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentOutOfRangeException.ThrowIfNegative(firstHistory);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (tally.Length != b.HostTally.Length || counters.Length != TransportKernel.CounterCount)
        {
            throw new ArgumentException($"A range needs a tally of {b.HostTally.Length} voxels and {TransportKernel.CounterCount} counters; got {tally.Length} and {counters.Length}.");
        }

        SetSource(b, request.Beam, request.Phantom.Geometry);
        b.Tally.MemSetToZero();
        b.Counters.MemSetToZero();
        long perLaunch = (long)Math.Min(IndexCount, b.IndexCapacity) * HistoriesPerIndex;
        KernelRun kr = NewKernelRun(request);
        long launches = 0;
        RunBatchFrom(b, ref kr, firstHistory, count, perLaunch, ref launches, (count + perLaunch - 1) / perLaunch, null, cancellationToken);
        b.HostTally.AsSpan().CopyTo(tally);
        b.Counters.View.CopyToCPU(counters);
    }
}
