using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>
/// A round of segment doses as units of work (docs/cluster.md, §4.3): planned whole, computed in any grouping and
/// order on separate sessions, put together — the same bits as one <see cref="SegmentDoses.Compute"/>.
/// </summary>
public class SegmentDosesUnitsTests
{
    private static (VoxelPhantom Phantom, DeliverySegment[] Segments) Setup()
    {
        Phantom water = PhantomLibrary.Build("water", 10);
        var phantom = VoxelPhantom.FromCt(water.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        var iso = new Vec3(0, 0, 0);
        DeliverySegment Seg(int beam, double gantry, double x0, double x1, double mu) =>
            new(beam, $"G{gantry:000}", gantry, 0, 0, iso, 1000, [new ApertureRect(x0, x1, -30, 30)], mu, PatientPosition.HeadFirstSupine);
        return (phantom, [Seg(1, 0, -30, 30, 50), Seg(1, 0, -10, 10, 20), Seg(2, 90, -30, 30, 60), Seg(2, 90, 0, 20, 1)]);
    }

    [Fact]
    public void ComputeSegments_InGroupsOnFreshSessionsInAnyOrder_SameBitsAsCompute()
    {
        (VoxelPhantom phantom, DeliverySegment[] segments) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        SegmentDoses whole = SegmentDoses.Compute(engine, model, phantom, segments, 200_000, 21);

        SegmentRoundPlan round = SegmentRoundPlan.Create(model, segments, 200_000, 21);
        Assert.Equal(SegmentRoundPlan.MinHistoriesPerSegment, round.Histories[3]); // 1 MU: its share is below the floor
        Assert.Equal([21UL, 21 + 104_729, 21 + 2 * 104_729, 21 + 3 * 104_729], round.Seeds);
        var parts = new List<SegmentUnitResult>();
        foreach ((int first, int count) in new[] { (2, 2), (0, 1), (1, 1) })
        {
            using DoseSession session = engine.OpenSession(phantom);
            parts.Add(SegmentDoses.ComputeSegments(session, round, first, count));
        }

        SegmentDoses assembled = SegmentDoses.Assemble(phantom.Geometry, round, parts, parts.Sum(p => p.Seconds), engine.DeviceName);
        Assert.Equal(whole.Histories, assembled.Histories);
        for (int s = 0; s < segments.Length; s++)
        {
            Assert.Equal(whole.DosePerMu[s], assembled.DosePerMu[s]);
            Assert.Equal(whole.SigmaPerMu[s], assembled.SigmaPerMu[s]);
        }
    }

    [Fact]
    public void Assemble_SegmentMissingOrGivenTwice_RefusedNamingIt()
    {
        (VoxelPhantom phantom, DeliverySegment[] segments) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        SegmentRoundPlan round = SegmentRoundPlan.Create(model, segments, 40_000, 3);
        using DoseSession session = engine.OpenSession(phantom);
        SegmentUnitResult a = SegmentDoses.ComputeSegments(session, round, 0, 2), b = SegmentDoses.ComputeSegments(session, round, 1, 3);
        var missing = Assert.Throws<ArgumentException>(() => SegmentDoses.Assemble(phantom.Geometry, round, [a], 0, "cpu"));
        Assert.Contains("Segment 2", missing.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<ArgumentException>(() => SegmentDoses.Assemble(phantom.Geometry, round, [a, b], 0, "cpu"));
        Assert.Contains("Segment 1", twice.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentDoses.ComputeSegments(session, round, 3, 2));
    }
}
