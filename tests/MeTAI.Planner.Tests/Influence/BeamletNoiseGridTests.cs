using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Phantoms;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Influence;

/// <summary>
/// Beamlet histories scaled with the grid (<see cref="InfluenceSettings.HistoriesFor"/>) give a beamlet dose the same
/// relative noise at 5 mm and at 2.5 mm voxels; the fixed count does not.
/// </summary>
public class BeamletNoiseGridTests
{
    /// <summary>
    /// Mean relative σ of one run's beamlet dose over the voxels above 50 % of the beamlet's maximum, measured from
    /// <paramref name="runs"/> independent runs (per-voxel sample standard deviation over the runs).
    /// </summary>
    private static double BeamletNoise(MonteCarloEngine engine, double voxelMm, long histories, int runs = 4)
    {
        VoxelPhantom box = VoxelPhantom.Box(new Vec3(60, 200, 60), voxelMm);
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-point"));
        // A 5 × 5 mm beamlet over 0–5 mm in both directions at the isocentre (mid-depth): it covers whole voxels at both
        // grids (one column of 5 mm voxels, 2 × 2 columns of 2.5 mm), so neither grid splits it by partial volume.
        BeamSetup beamlet = model.CreateBeam(Aperture.Beamlet(2.5, 2.5, 5, 5), new BeamGeometry(0, 0, 0, new Vec3(0, 100, 0), model.SadMm), 1.0);
        int n = box.Geometry.VoxelCount;
        var sum = new double[n];
        var sumSq = new double[n];
        var dose = new float[n];
        using DoseSession session = engine.OpenSession(box);
        for (int r = 0; r < runs; r++)
        {
            session.RunDose(beamlet, histories, 1000 + (ulong)r, dose);
            for (int v = 0; v < n; v++)
            {
                sum[v] += dose[v];
                sumSq[v] += (double)dose[v] * dose[v];
            }
        }

        double max = sum.Max(), s = 0;
        int count = 0;
        for (int v = 0; v < n; v++)
        {
            if (sum[v] > 0.5 * max)
            {
                double mean = sum[v] / runs;
                double var = Math.Max(0, (sumSq[v] - runs * mean * mean) / (runs - 1));
                s += Math.Sqrt(var) / mean;
                count++;
            }
        }

        Assert.True(count >= 20, $"{count} voxels above 50 % at {voxelMm} mm");
        return s / count;
    }

    [Fact]
    public void HistoriesFor_FormulaAtTheReferenceAndFinerGrids()
    {
        var scaled = new InfluenceSettings { HistoriesPerBeamlet = 20_000, ScaleWithGrid = true };
        Assert.Equal(20_000, scaled.HistoriesFor(25, 125));
        Assert.Equal(160_000, scaled.HistoriesFor(25, 2.5 * 2.5 * 2.5));
        Assert.Equal(80_000, scaled.HistoriesFor(100, 125));
        Assert.Equal(20_000, scaled.HistoriesFor(25, 1000));
        Assert.Equal(20_000, new InfluenceSettings { HistoriesPerBeamlet = 20_000 }.HistoriesFor(25, 2.5 * 2.5 * 2.5));
    }

    [Fact]
    public void BeamletNoise_ScaledHistories_SameAt5And2p5Mm()
    {
        using var engine = new MonteCarloEngine(DeviceKind.Cpu);
        var settings = new InfluenceSettings { HistoriesPerBeamlet = 20_000, ScaleWithGrid = true };
        double at5 = BeamletNoise(engine, 5, settings.HistoriesFor(25, 125));
        double at2p5 = BeamletNoise(engine, 2.5, settings.HistoriesFor(25, 2.5 * 2.5 * 2.5));
        // Stated tolerance: the two grids' noise within 25 % of each other (the estimate from 4 runs over a few dozen
        // voxels scatters by ≈ 10 %).
        Assert.InRange(at2p5 / at5, 0.75, 1.25);

        // The fixed count at 2.5 mm: ≈ √8 = 2.8 × the noise, far outside that tolerance.
        double fixedAt2p5 = BeamletNoise(engine, 2.5, 20_000);
        Assert.True(fixedAt2p5 / at5 > 2, $"fixed count at 2.5 mm: {fixedAt2p5:P1} vs {at5:P1} at 5 mm");
    }
}
