using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Compute;

/// <summary>
/// Where a plan's Monte Carlo work runs (docs/cluster.md): the influence matrix's columns and the final dose's segment
/// rounds are units that depend only on the plan's inputs and their own spec (<see cref="InfluenceColumnSpec"/>,
/// <see cref="SegmentRoundPlan"/>), so an executor may spread them over machines and put the results together
/// (<see cref="InfluenceBuilder.Assemble"/>, <see cref="SegmentDoses.Assemble"/>). Whatever the executor, the same
/// inputs give the same bits. <see cref="LocalPlanUnitExecutor"/> runs them in this process, as a plan always has.
/// </summary>
public interface IPlanUnitExecutor
{
    /// <summary>What the plan's log calls this executor.</summary>
    string Name { get; }

    /// <summary>Every column of the matrix of <paramref name="grids"/> (see <see cref="InfluenceBuilder.Build"/>).</summary>
    InfluenceMatrix BuildInfluence(InfluenceBuilder builder, VoxelPhantom phantom, IReadOnlyList<BeamletGrid> grids, int[] voxelIndices, TextWriter? log,
        IProgress<double>? progress, CancellationToken cancellationToken);

    /// <summary>One round of segment doses, <paramref name="histories"/> over <paramref name="segments"/> with <paramref name="seed"/> (see <see cref="SegmentDoses.Compute"/>).</summary>
    SegmentDoses ComputeSegmentRound(MonteCarloEngine engine, BeamModel model, VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, long histories, ulong seed,
        TextWriter? log, IProgress<double>? progress, CancellationToken cancellationToken);
}
