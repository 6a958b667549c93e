using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>A plan's segment doses run to a target σ of the plan dose (three segments of two beams on the 10 mm water cube).</summary>
public class SegmentDosesToTargetTests
{
    private static (VoxelPhantom Phantom, VoxelMask Body, DeliverySegment[] Segments) Setup()
    {
        Phantom water = PhantomLibrary.Build("water", 10);
        var phantom = VoxelPhantom.FromCt(water.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        VoxelMask body = water.Structures.First(s => s.Name == "External").Mask;
        var iso = new Vec3(0, 0, 0);
        DeliverySegment Seg(int beam, double gantry, double x0, double x1, double mu) =>
            new(beam, $"G{gantry:000}", gantry, 0, 0, iso, 1000, [new ApertureRect(x0, x1, -30, 30)], mu, PatientPosition.HeadFirstSupine);
        return (phantom, body, [Seg(1, 0, -30, 30, 50), Seg(1, 0, -10, 10, 20), Seg(2, 90, -30, 30, 60)]);
    }

    [Fact]
    public void Compute_TargetFourPercent_StopsWithThePlanDoseAtTheTarget()
    {
        (VoxelPhantom phantom, VoxelMask body, DeliverySegment[] segments) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        double[] mu = [.. segments.Select(s => s.MonitorUnits)];
        var target = new UncertaintyTarget { RelativeUncertainty = 0.04, PilotHistories = 60_000, MaxHistories = 50_000_000 };
        var log = new StringWriter();
        SegmentDoses d = SegmentDosesToTarget.Compute(engine, model, phantom, segments, mu, target, body, null, 5, log);
        Assert.Equal(StopReason.TargetReached, d.Stop);
        Assert.True(d.StoppingUpperBound <= 0.04, log.ToString());
        Assert.True(d.Batches >= 20, $"{d.Batches} batches: the pilot alone (bound ×1.64) should not have met 4 %; " + log);
        Assert.Equal(d.Batches / 10, log.ToString().Split('\n').Count(l => l.Contains("final dose round", StringComparison.Ordinal)));

        // The σ the rule stopped on is the plan dose's own (Σ MU·D, D > 50 % Dmax inside the body) …
        (VoxelGrid<float> dose, VoxelGrid<float> rel) = d.Sum(mu);
        VoxelMask kept = DoseMask.Kept(body, phantom.DensitiesGPerCm3);
        Assert.Equal(d.StoppingUncertainty!.Value, DoseMask.MeanRelUncertaintyAbove50(DoseMask.Apply(dose, kept), DoseMask.Apply(rel, kept)), 6);

        // … and honest: an independent fixed-count run with the same histories differs by about √2·σ (RMS, D > 50 %).
        SegmentDoses other = SegmentDoses.Compute(engine, model, phantom, segments, d.Histories, 777);
        (VoxelGrid<float> dose2, _) = other.Sum(mu);
        double max = dose.Data.Max(), sum = 0;
        int count = 0;
        for (int v = 0; v < dose.Data.Length; v++)
        {
            if (kept.Voxels[v] != 0 && dose.Data[v] > 0.5 * max)
            {
                double r = (dose.Data[v] - dose2.Data[v]) / dose.Data[v];
                sum += r * r;
                count++;
            }
        }

        Assert.InRange(Math.Sqrt(sum / count / 2) / d.StoppingUncertainty.Value, 0.8, 1.25);
    }

    [Fact]
    public void Compute_CapBeforeTarget_StopsAtTheCapAndSaysSo()
    {
        (VoxelPhantom phantom, VoxelMask body, DeliverySegment[] segments) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        var target = new UncertaintyTarget { RelativeUncertainty = 0.002, PilotHistories = 60_000, MaxHistories = 120_000 };
        SegmentDoses d = SegmentDosesToTarget.Compute(engine, model, phantom, segments, [50, 20, 60], target, body, null, 5);
        Assert.Equal(StopReason.HistoryCap, d.Stop);
        Assert.InRange(d.Histories, 120_000, 130_000);
        Assert.True(d.StoppingUncertainty > 0.002);
    }

    [Fact]
    public void PlanDoseCalculator_ComputeToTarget_SecondCheckStopsAtTheTarget()
    {
        // The second check's path (metai dose --ct --plan --uncertainty): rounds of per-beam runs, the rule on the plan
        // dose's mean σ over D > 50 % Dmax of the body.
        (VoxelPhantom phantom, VoxelMask body, DeliverySegment[] segments) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        var target = new UncertaintyTarget { RelativeUncertainty = 0.04, PilotHistories = 60_000, MaxHistories = 50_000_000 };
        var log = new StringWriter();
        PlanDose d = new PlanDoseCalculator(engine, model).ComputeToTarget(phantom, segments, body, 1, target, 5, log: log);
        Assert.Equal(StopReason.TargetReached, d.Stop);
        Assert.True(d.StoppingUpperBound <= 0.04, log.ToString());
        Assert.Equal(d.StoppingUncertainty!.Value, d.RawMeanRelUncertaintyAbove50, 4);
        Assert.Contains("dose round 2", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(d.Histories, d.Beams.Sum(b => b.Histories));
    }
}
