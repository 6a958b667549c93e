using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Compute;

/// <summary>The plan's Monte Carlo units in this process, one after the other on one session of the plan's engine (the default).</summary>
public sealed class LocalPlanUnitExecutor : IPlanUnitExecutor
{
    private LocalPlanUnitExecutor()
    {
    }

    /// <summary>The one instance (it holds no state).</summary>
    public static LocalPlanUnitExecutor Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "this process";

    /// <inheritdoc />
    public InfluenceMatrix BuildInfluence(InfluenceBuilder builder, VoxelPhantom phantom, IReadOnlyList<BeamletGrid> grids, int[] voxelIndices, TextWriter? log,
        IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Build(phantom, grids, voxelIndices, log, progress, cancellationToken);
    }

    /// <inheritdoc />
    public SegmentDoses ComputeSegmentRound(MonteCarloEngine engine, BeamModel model, VoxelPhantom phantom, IReadOnlyList<DeliverySegment> segments, long histories, ulong seed,
        TextWriter? log, IProgress<double>? progress, CancellationToken cancellationToken) =>
        SegmentDoses.Compute(engine, model, phantom, segments, histories, seed, log, progress, cancellationToken);
}
