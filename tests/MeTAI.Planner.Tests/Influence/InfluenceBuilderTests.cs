using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Influence;

public class InfluenceBuilderTests
{
    private static (VoxelPhantom Phantom, BeamletGrid Grid, int[] Rows) Setup()
    {
        Phantom water = PhantomLibrary.Build("water", 10);
        var phantom = VoxelPhantom.FromCt(water.CtHu, HuCalibration.Load(DosimetryPaths.HuCalibrationFile()));
        var beam = new PlanBeam(1, "G000", 0, 0, 0, new Vec3(0, -50, 0), PatientPosition.HeadFirstSupine);
        var grid = BeamletGrid.FromCells(beam, 10, 10, [(-1, -1), (0, -1), (-1, 0), (0, 0)]);
        return (phantom, grid, [.. Enumerable.Range(0, phantom.Geometry.VoxelCount)]);
    }

    [Fact]
    public void Build_FourBeamlets_SumsToTheOpenFieldDose()
    {
        (VoxelPhantom phantom, BeamletGrid grid, int[] rows) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-mohan"));
        InfluenceMatrix m = new InfluenceBuilder(engine, model, new InfluenceSettings { HistoriesPerBeamlet = 40_000, RelativeCutoff = 0, DepthSmoothingPoints = 0 }).Build(phantom, [grid], rows);
        Assert.Equal(4, m.Columns);
        Assert.Equal(rows.Length, m.Rows);
        Assert.Equal(new Beamlet(0, -1, -1), m.Beamlets[0]);
        using var op = new CpuDoseOperator(m.Matrix);
        var dose = new float[m.Rows];
        op.Forward([100f, 100f, 100f, 100f], dose);
        // 2 × 2 cm at 10 cm depth, 100 MU; an independent run through the 2 × 2 cm jaws agrees within the noise.
        using DoseSession s = engine.OpenSession(phantom);
        DoseResult open = s.Run(model.CreateBeam(Aperture.Jaws(-10, 10, -10, 10), new Vec3(0, -50, 0), 0, 0, 0, 100), 400_000, 9, 10);
        var g = phantom.Geometry;
        Assert.True(g.TryNearestVoxel(new Vec3(0, -50, 0), out int i, out int j, out int k));
        double beamlets = 0, field = 0;
        for (int dj = -2; dj <= 2; dj++)
        {
            int n = g.Index(i, j + dj, k);
            beamlets += dose[n];
            field += open.Dose.Data[n];
        }

        Assert.True(Math.Abs(beamlets / field - 1) < 0.05, $"beamlet sum {beamlets} vs open field {field}");
    }

    [Fact]
    public void Build_OverMemoryLimit_FailsWithAClearMessage()
    {
        (VoxelPhantom phantom, BeamletGrid grid, int[] rows) = Setup();
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-mohan"));
        var builder = new InfluenceBuilder(engine, model, new InfluenceSettings { HistoriesPerBeamlet = 2_000, MaxMemoryBytes = 1_000 });
        var log = new StringWriter();
        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(phantom, [grid], rows, log));
        Assert.Contains("MiB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("beamlets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("estimate from the first beamlet", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_DropsEntriesBelowTheRelativeCutoff()
    {
        float[] dose = [0, 10, 0.005f, 0.02f, 5];
        var rows = new int[5];
        var vals = new float[5];
        int n = InfluenceBuilder.Extract(dose, [0, 1, 2, 3, 4], 1e-3, rows, vals);
        Assert.Equal(3, n);
        Assert.Equal([1, 3, 4], rows[..3]);
    }
}
