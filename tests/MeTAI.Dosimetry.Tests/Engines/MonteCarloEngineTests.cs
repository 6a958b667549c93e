using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.MonteCarlo;
using MeTAI.Dosimetry.Phantoms;

namespace MeTAI.Dosimetry.Tests.Engines;

[Collection(MonteCarloTests.Name)]
public class MonteCarloEngineTests(EngineFixture fixture)
{
    private static BeamSetup Beam(Aperture aperture, double gantry = 0, double collimator = 0, Vec3? iso = null) =>
        BeamModel.Load(DosimetryPaths.BeamFile("6MV-point")).CreateBeam(aperture, iso ?? Vec3.Zero, gantry, collimator);

    /// <summary>Width (mm) of the region above half the maximum of a 1-D dose line.</summary>
    private static double HalfMaxWidth(double[] line, double spacingMm) => line.Count(v => v > 0.5 * line.Max()) * spacingMm;

    [Fact]
    public void CollimatorRotation_RectangularField_FootprintTurns()
    {
        // A 40 (X jaws) × 120 (Y jaws) mm field on a water box, gantry 0: Y is along the patient axis (LPS z).
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(200, 100, 200), 5);
        GridGeometry g = phantom.Geometry;
        double[] Line(DoseResult r, bool alongX)
        {
            var v = new double[alongX ? g.SizeX : g.SizeZ];
            for (int n = 0; n < v.Length; n++)
            {
                for (int j = 2; j < 8; j++)
                {
                    v[n] += alongX ? r.Dose[n, j, g.SizeZ / 2] + r.Dose[n, j, g.SizeZ / 2 - 1] : r.Dose[g.SizeX / 2, j, n] + r.Dose[g.SizeX / 2 - 1, j, n];
                }
            }

            return v;
        }

        // Photons only, electrons absorbed in place: the footprint is the primary fluence (fast and sharp).
        var physics = new PhysicsOptions { ElectronCutoffMeV = 19 };
        DoseResult c0 = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(40, 120)), Histories = 200_000, Physics = physics });
        DoseResult c90 = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(40, 120), collimator: 90), Histories = 200_000, Physics = physics });

        // Collimator 0: narrow along x (≈ 40–45 mm at 1–4 cm depth), long along z (≈ 120–130 mm); collimator 90: swapped.
        Assert.InRange(HalfMaxWidth(Line(c0, true), 5), 35, 55);
        Assert.InRange(HalfMaxWidth(Line(c0, false), 5), 115, 140);
        Assert.InRange(HalfMaxWidth(Line(c90, true), 5), 115, 140);
        Assert.InRange(HalfMaxWidth(Line(c90, false), 5), 35, 55);
    }

    [Fact]
    public void Gantry90_BeamEntersFromPatientLeft()
    {
        // Gantry 90: source on the patient's left (+x), beam toward −x: the build-up and maximum are near +x.
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(200, 200, 100), 5, surfaceYLps: -100);
        DoseResult r = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(50, 50), gantry: 90), Histories = 200_000 });
        Assert.NotNull(r.CentralAxis);
        Assert.InRange(r.DmaxMm!.Value, 5, 30);
        GridGeometry g = phantom.Geometry;
        double left = 0, right = 0;
        for (int i = 0; i < 5; i++)
        {
            left += r.Dose[g.SizeX - 1 - i - 3, g.SizeY / 2, g.SizeZ / 2];
            right += r.Dose[i + 3, g.SizeY / 2, g.SizeZ / 2];
        }

        Assert.True(left > 1.5 * right, $"dose near +x {left:E3} vs near −x {right:E3}");
    }

    [Fact]
    public void DoseToWater_InBone_HigherThanDoseToMedium()
    {
        VoxelPhantom phantom = SlabPhantom.Create([new Slab(20, "water", 1.0), new Slab(30, "cortical-bone", 1.85), new Slab(20, "water", 1.0)], 60, 5);
        var request = new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(40, 40)), Histories = 50_000, Seed = 4 };
        DoseResult medium = fixture.Engine.Run(request);
        DoseResult water = fixture.Engine.Run(request with { DoseToWater = true });
        Assert.False(medium.IsDoseToWater);
        Assert.True(water.IsDoseToWater);
        GridGeometry g = phantom.Geometry;
        float dm = medium.Dose[g.SizeX / 2, 6, g.SizeZ / 2], dw = water.Dose[g.SizeX / 2, 6, g.SizeZ / 2];
        Assert.InRange(dw / dm, 1.05, 1.15); // water/bone collision stopping-power ratio ≈ 1.11
        Assert.Equal(medium.Dose[g.SizeX / 2, 1, g.SizeZ / 2], water.Dose[g.SizeX / 2, 1, g.SizeZ / 2], 6); // water voxels unchanged
    }

    [Fact]
    public void Run_ProgressAndCancellation()
    {
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(100, 100, 100), 5);
        var request = new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(50, 50)), Histories = 50L * fixture.Engine.IndexCount * fixture.Engine.HistoriesPerIndex };
        var reports = new List<double>();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(v =>
        {
            reports.Add(v);
            if (v > 0.3)
            {
                cts.Cancel();
            }
        });
        Assert.Throws<OperationCanceledException>(() => fixture.Engine.Run(request, progress, cts.Token));
        Assert.NotEmpty(reports);
        Assert.True(reports[^1] < 1.0);
        Assert.Equal(reports.OrderBy(x => x), reports);
    }

    [Fact]
    public void Result_CarriesSummaryFigures()
    {
        VoxelPhantom phantom = VoxelPhantom.Box(new Vec3(150, 150, 150), 5);
        DoseResult r = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(80, 80)), Histories = 100_000 });
        Assert.Equal("Gy", r.DoseUnit);
        Assert.True(r.HistoriesPerSecond > 0 && r.Seconds > 0 && r.Efficiency > 0);
        Assert.InRange(r.MeanRelUncertaintyAbove50, 0.001, 0.5);
        Assert.NotNull(r.LateralProfile);
        Assert.Contains("CPU", r.DeviceName, StringComparison.Ordinal);
        Assert.StartsWith("depth_mm,dose,pdd_percent", r.CentralAxis!.ToCsv(), StringComparison.Ordinal);
        Assert.StartsWith("position_mm,dose,relative_percent", r.LateralProfile!.ToCsv(), StringComparison.Ordinal);
        Assert.InRange(r.LateralProfile.WidthAt(0.5), 80, 100); // 80 mm at the isocentre, ≈ 88 mm at 10 cm depth
    }

    [Fact]
    public void CtWithAirAroundPatient_SummaryFromSkinAndAirIgnored()
    {
        // 60 mm of air (−1000 HU) in front of 150 mm of water (0 HU), mapped through the default calibration.
        var g = MeTAI.Core.Voxels.GridGeometry.Centered(new Vec3(150, 210, 150), 5, new Vec3(0, 105, 0));
        var ct = new VoxelGrid<short>(g);
        for (int n = 0; n < g.VoxelCount; n++)
        {
            int j = n / g.SizeX % g.SizeY;
            ct.Data[n] = (short)(j < 12 ? -1000 : 0);
        }

        VoxelPhantom phantom = VoxelPhantom.FromCt(ct, MeTAI.Dosimetry.Materials.HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        DoseResult r = fixture.Engine.Run(new DoseRequest { Phantom = phantom, Beam = Beam(Aperture.Field(80, 80), iso: new Vec3(0, 60, 0)), Histories = 150_000, Seed = 12 });
        // Depth is counted from the water surface at y = 60 mm: the curve covers the 150 mm of water, not the air,
        // and starts in the build-up region.
        Assert.InRange(r.CentralAxis!.DepthMm[^1], 140, 150);
        Assert.InRange(r.CentralAxis.Dose[0] / r.CentralAxis.MaxDose, 0.3, 0.9);
        // The maximum is a tissue dose, not an air-voxel outlier.
        double tissueMax = 0;
        for (int n = 0; n < g.VoxelCount; n++)
        {
            if (phantom.DensitiesGPerCm3[n] > 0.5)
            {
                tissueMax = Math.Max(tissueMax, r.Dose.Data[n]);
            }
        }

        Assert.Equal(tissueMax, r.MaxDose, tissueMax * 1e-6);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
