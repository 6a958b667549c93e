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
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
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
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        var builder = new InfluenceBuilder(engine, model, new InfluenceSettings { HistoriesPerBeamlet = 2_000, MaxMemoryBytes = 1_000 });
        var log = new StringWriter();
        var ex = Assert.Throws<InvalidOperationException>(() => builder.Build(phantom, [grid], rows, log));
        Assert.Contains("MiB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("beamlets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("estimate from the first beamlet", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildColumns_InGroupsOnFreshSessionsInAnyOrder_SameMatrixBitForBitAsOneBuild()
    {
        // Two beams (the second with the default depth smoothing's ray), columns computed as units would be on other
        // machines: in groups, out of order, each group on its own session.
        (VoxelPhantom phantom, BeamletGrid grid, int[] rows) = Setup();
        var side = new PlanBeam(2, "G090", 90, 0, 0, new Vec3(0, -50, 0), PatientPosition.HeadFirstSupine);
        BeamletGrid[] grids = [grid, BeamletGrid.FromCells(side, 10, 10, [(-1, 0), (0, 0), (1, 0)])];
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        var builder = new InfluenceBuilder(engine, model, new InfluenceSettings { HistoriesPerBeamlet = 3_000, Seed = 11 });
        InfluenceMatrix whole = builder.Build(phantom, grids, rows);

        IReadOnlyList<InfluenceColumnSpec> specs = builder.Columns(grids, phantom.Geometry.SpacingMm);
        Assert.Equal(7, specs.Count);
        Assert.Equal([11UL, 12, 13, 14, 15, 16, 17], specs.Select(c => c.Seed));
        var columns = new (int[] Rows, float[] Values)[specs.Count];
        foreach ((int first, int count) in new[] { (4, 3), (0, 2), (2, 2) })
        {
            using DoseSession session = engine.OpenSession(phantom);
            (int[] Rows, float[] Values)[] part = builder.BuildColumns(session, phantom, grids, rows, first, count);
            part.CopyTo(columns, first);
        }

        InfluenceMatrix assembled = builder.Assemble(phantom.Geometry, grids, rows, columns);
        Assert.Equal(whole.Beamlets, assembled.Beamlets);
        Assert.Equal(whole.HistoriesPerBeamlet, assembled.HistoriesPerBeamlet);
        Assert.Equal(whole.Matrix.RowPointers, assembled.Matrix.RowPointers);
        Assert.Equal(whole.Matrix.ColumnIndices, assembled.Matrix.ColumnIndices);
        Assert.Equal(whole.Matrix.Values, assembled.Matrix.Values);

        using DoseSession s = engine.OpenSession(phantom);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => builder.BuildColumns(s, phantom, grids, rows, 5, 3));
        Assert.Contains("[5, 8)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.Assemble(phantom.Geometry, grids, rows, columns[..6]));
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
