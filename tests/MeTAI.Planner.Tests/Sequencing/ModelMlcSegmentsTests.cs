using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Tests.Sequencing;

/// <summary>
/// Sequencing with the beam model's own MLC (the 6MV model's Millennium-120 layout): the RT Plan's Leaf Position
/// Boundaries are the model's, the final dose's beams attenuate with each segment's jaws and leaves, and a plan
/// whose leaves are not the model's is refused.
/// </summary>
public class ModelMlcSegmentsTests
{
    private const double SadMm = 1000;

    private static (BeamModel Model, List<SequencedBeam> Beams) Sequenced()
    {
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV"));
        PlanCase c = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 5));
        var mlc = new MlcModel([.. model.Collimator!.Mlc!.LeafBoundariesMm]);
        var rng = new Random(5);
        var beams = new List<SequencedBeam>();
        foreach (PlanBeam b in BeamArrangement.Coplanar(3, c.Structure("PTV").Mask.CentroidLps(), PatientPosition.HeadFirstSupine))
        {
            BeamletGrid grid = BeamletGrid.Cover(b, SadMm, c.Structure("PTV").Mask, 5, 5);
            double[] w = [.. Enumerable.Range(0, grid.Count).Select(_ => 40 * rng.NextDouble())];
            beams.Add(LeafSequencer.Sequence(grid, w, mlc, new SequencingOptions { Levels = 5, MinSegmentMu = 2 }));
        }

        return (model, beams);
    }

    [Fact]
    public void RtPlan_LeafPositionBoundaries_AreTheModels_AndTheSegmentsAttenuateThroughThem()
    {
        (BeamModel model, List<SequencedBeam> beams) = Sequenced();
        RtPlan plan = RtPlanBuilder.Build(beams, new Prescription("PTV", 75.6, 42), "PROSTATE", SadMm);
        foreach (RtBeam beam in plan.Beams)
        {
            RtBeamLimitingDevice mlc = beam.BeamLimitingDevices.Single(d => d.Type == "MLCX");
            Assert.Equal(60, mlc.NumberOfPairs);
            Assert.Equal(model.Collimator!.Mlc!.LeafBoundariesMm, mlc.LeafBoundariesMm);
        }

        IReadOnlyList<DeliverySegment> segments = RtPlanBeams.Segments(plan, "RTPLAN", 6, null);
        Assert.NotEmpty(segments);
        IReadOnlyList<(int BeamNumber, BeamSetup Beam)> setups = RtPlanBeams.ToBeamSetups(segments, model);
        Assert.Equal(segments.Count, setups.Count);
        foreach ((_, BeamSetup setup) in setups)
        {
            Assert.True(setup.HasAttenuatingCollimation);
            Assert.Equal(60, setup.Collimation!.BankAMm!.Count);
        }
    }

    [Fact]
    public void PlanWithAnotherMlc_IsRefusedByTheModelWithAHead_NamingLeafPositionBoundaries()
    {
        (BeamModel model, _) = Sequenced();
        PlanCase c = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 5));
        PlanBeam b = BeamArrangement.Coplanar(1, c.Structure("PTV").Mask.CentroidLps(), PatientPosition.HeadFirstSupine)[0];
        BeamletGrid grid = BeamletGrid.Cover(b, SadMm, c.Structure("PTV").Mask, 5, 5);
        SequencedBeam uniform = LeafSequencer.Sequence(grid, [.. Enumerable.Repeat(10.0, grid.Count)], MlcModel.Uniform(5, 80), new SequencingOptions { Levels = 2, MinSegmentMu = 1 });
        RtPlan plan = RtPlanBuilder.Build([uniform], new Prescription("PTV", 75.6, 42), "PROSTATE", SadMm);
        IReadOnlyList<DeliverySegment> segments = RtPlanBeams.Segments(plan, "RTPLAN", 6, null);
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.ToBeamSetups(segments, model));
        Assert.Contains("Leaf Position Boundaries (300A,00BE) (80 pairs from -200 to 200 mm)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("60 pairs", ex.Message, StringComparison.Ordinal);
        // The point model has no head: the same plan is computed through its ideal apertures.
        Assert.NotEmpty(RtPlanBeams.ToBeamSetups(segments, BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"))));
    }
}
