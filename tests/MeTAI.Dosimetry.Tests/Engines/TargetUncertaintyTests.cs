using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Tests.Engines;

/// <summary>Real Monte Carlo runs to a target uncertainty (small water box, point-source 6 MV, 5 × 5 cm²).</summary>
[Collection(MonteCarloTests.Name)]
public class TargetUncertaintyTests(EngineFixture fixture)
{
    private static BeamSetup Beam() => BeamModel.Load(DosimetryPaths.BeamFile("6MV-point")).CreateBeam(Aperture.Field(50, 50), Vec3.Zero);

    private static readonly VoxelPhantom Box = VoxelPhantom.Box(new Vec3(100, 100, 100), 5);

    [Fact]
    public void Run_TargetFivePercent_StopsAtTheTargetAndReportsIt()
    {
        var target = new UncertaintyTarget { RelativeUncertainty = 0.05, PilotHistories = 20_000, MaxHistories = 20_000_000 };
        DoseResult r = fixture.Engine.Run(new DoseRequest { Phantom = Box, Beam = Beam(), Uncertainty = target });
        Assert.Equal(StopReason.TargetReached, r.Stop);
        Assert.Same(target, r.Target);
        Assert.True(r.Batches >= 10);
        Assert.True(r.StoppingUpperBound <= 0.05, $"upper bound {r.StoppingUpperBound:P2}");
        // The result's own σ (D > 50 % Dmax, from the same batches) is the stopping estimate, and below the target.
        Assert.Equal(r.StoppingUncertainty!.Value, r.MeanRelUncertaintyAbove50, 3);
        Assert.True(r.MeanRelUncertaintyAbove50 <= 0.05);
        Assert.True(r.Histories < target.MaxHistories);

        // Honest, not just small: a second run with another seed and the same histories differs from the first by
        // √2·σ per voxel on average (relative differences over the D > 50 % voxels, RMS).
        DoseResult other = fixture.Engine.Run(new DoseRequest { Phantom = Box, Beam = Beam(), Histories = r.Histories, Seed = 99 });
        double max = r.MaxDose, sum = 0;
        int count = 0;
        for (int n = 0; n < r.Dose.Data.Length; n++)
        {
            if (r.Dose.Data[n] > 0.5 * max)
            {
                double rel = (r.Dose.Data[n] - other.Dose.Data[n]) / r.Dose.Data[n];
                sum += rel * rel;
                count++;
            }
        }

        double rmsOverSqrt2 = Math.Sqrt(sum / count / 2);
        Assert.InRange(rmsOverSqrt2 / r.StoppingUncertainty!.Value, 0.8, 1.25);
    }

    [Fact]
    public void Run_CapBeforeTarget_StopsAtTheCapAndSaysSo()
    {
        var target = new UncertaintyTarget { RelativeUncertainty = 0.002, PilotHistories = 20_000, MaxHistories = 200_000 };
        DoseResult r = fixture.Engine.Run(new DoseRequest { Phantom = Box, Beam = Beam(), Uncertainty = target });
        Assert.Equal(StopReason.HistoryCap, r.Stop);
        Assert.Equal(200_000, r.Histories);
        Assert.True(r.StoppingUncertainty > 0.002);
    }

    [Fact]
    public void Run_RoiRegion_StopsOnTheRoiSigma()
    {
        // A small region deep in the box (10–20 mm off the axis, 60–80 mm deep): fewer voxels and lower dose than the
        // D > 50 % region, so reaching the same target there takes more histories.
        var g = Box.Geometry;
        var roi = new byte[g.VoxelCount];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 12; j < 16; j++)
            {
                for (int i = 12; i < 14; i++)
                {
                    roi[g.Index(i, j, k)] = 1;
                }
            }
        }

        var target = new UncertaintyTarget { RelativeUncertainty = 0.08, PilotHistories = 20_000, MaxHistories = 20_000_000 };
        DoseResult whole = fixture.Engine.Run(new DoseRequest { Phantom = Box, Beam = Beam(), Uncertainty = target });
        DoseResult inRoi = fixture.Engine.Run(new DoseRequest { Phantom = Box, Beam = Beam(), Uncertainty = target, UncertaintyRoi = roi });
        Assert.Equal(StopReason.TargetReached, inRoi.Stop);
        Assert.True(inRoi.Histories > whole.Histories, $"{inRoi.Histories} vs {whole.Histories}");
        double s = 0;
        int c = 0;
        for (int n = 0; n < roi.Length; n++)
        {
            if (roi[n] != 0)
            {
                s += inRoi.RelativeUncertainty.Data[n];
                c++;
            }
        }

        Assert.Equal(inRoi.StoppingUncertainty!.Value, s / c, 4);
    }

    [Fact]
    public void Request_TargetWithKeptBatches_Refused()
    {
        var request = new DoseRequest { Phantom = Box, Beam = Beam(), Uncertainty = new UncertaintyTarget { RelativeUncertainty = 0.01 }, KeepBatchDoses = true };
        ArgumentException e = Assert.Throws<ArgumentException>(request.Validate);
        Assert.Contains("target uncertainty", e.Message, StringComparison.Ordinal);
    }
}
