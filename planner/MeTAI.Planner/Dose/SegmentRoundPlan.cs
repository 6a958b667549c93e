using MeTAI.Dosimetry.Beams;
using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Dose;

/// <summary>
/// One round of segment doses as units of Monte Carlo work: each segment's beam, histories and seed. The histories are
/// shared in proportion to the source particles each segment's MU stand for (equal statistics per unit fluence), at
/// least 10 000 each, which needs every segment at once; so the round is planned whole, here, and any part of it
/// (<see cref="SegmentDoses.ComputeSegments"/>) gives the same bits wherever it runs.
/// </summary>
public sealed class SegmentRoundPlan
{
    /// <summary>The fewest histories a segment gets.</summary>
    public const long MinHistoriesPerSegment = 10_000;

    /// <summary>Seed stride between segments of a round.</summary>
    public const ulong SegmentSeedStride = 104_729;

    private SegmentRoundPlan(IReadOnlyList<DeliverySegment> segments, BeamSetup[] setups, long[] histories, ulong[] seeds)
    {
        Segments = segments;
        Setups = setups;
        Histories = histories;
        Seeds = seeds;
        PlannedHistories = histories.Sum();
    }

    /// <summary>The segments, in plan order.</summary>
    public IReadOnlyList<DeliverySegment> Segments { get; }

    /// <summary>Each segment's beam at 1 MU.</summary>
    public IReadOnlyList<BeamSetup> Setups { get; }

    /// <summary>Each segment's histories.</summary>
    public IReadOnlyList<long> Histories { get; }

    /// <summary>Each segment's seed (the round's seed + segment × <see cref="SegmentSeedStride"/>).</summary>
    public IReadOnlyList<ulong> Seeds { get; }

    /// <summary>Σ <see cref="Histories"/>.</summary>
    public long PlannedHistories { get; }

    /// <summary>Plans a round of <paramref name="histories"/> histories over <paramref name="segments"/> with <paramref name="seed"/>.</summary>
    public static SegmentRoundPlan Create(BeamModel model, IReadOnlyList<DeliverySegment> segments, long histories, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(segments);
        var setups = new BeamSetup[segments.Count];
        double particles = 0;
        for (int s = 0; s < segments.Count; s++)
        {
            DeliverySegment seg = segments[s];
            setups[s] = SegmentBeams.Create(model, seg, 1.0);
            particles += setups[s].HistoriesPerMu!.Value * seg.MonitorUnits;
        }

        var planned = new long[segments.Count];
        var seeds = new ulong[segments.Count];
        for (int s = 0; s < segments.Count; s++)
        {
            planned[s] = Math.Max(MinHistoriesPerSegment, (long)Math.Round(histories * setups[s].HistoriesPerMu!.Value * segments[s].MonitorUnits / particles));
            seeds[s] = seed + (ulong)s * SegmentSeedStride;
        }

        return new SegmentRoundPlan(segments, setups, planned, seeds);
    }
}
