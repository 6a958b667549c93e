using MeTAI.Core.Geometry;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Tests.Sequencing;

public class LeafSequencerTests
{
    [Fact]
    public void Sweep_ReproducesTheLevelsWithUnidirectionalLeaves()
    {
        double[] row = [0, 3, 1, 4, 4, 2, 0, 5, 1];
        (List<int> starts, List<int> ends) = LeafSequencer.Sweep(row, 1);
        Assert.Equal(starts.Count, ends.Count);
        for (int u = 1; u < starts.Count; u++)
        {
            Assert.True(starts[u] >= starts[u - 1] && ends[u] >= ends[u - 1], "leaves must never move backwards");
        }

        var delivered = new int[row.Length];
        for (int u = 0; u < starts.Count; u++)
        {
            Assert.True(ends[u] > starts[u]);
            for (int x = starts[u]; x < ends[u]; x++)
            {
                delivered[x]++;
            }
        }

        Assert.Equal(row.Select(v => (int)v), delivered);
        // Unidirectional optimum (Bortfeld 1994): MU = Σ of positive increments = 3 + 3 + 5 = 11.
        Assert.Equal(11, starts.Count);
    }

    [Theory]
    [InlineData(5.0, 5.0)]
    [InlineData(5.0, 10.0)]
    public void Sequence_RandomFluence_DeliversTheQuantisedMapWithValidSegments(double beamletMm, double leafMm)
    {
        var beam = new PlanBeam(1, "G000", 0, 0, 0, Vec3.Zero, PatientPosition.HeadFirstSupine);
        var cells = new List<(int, int)>();
        for (int j = -4; j < 4; j++)
        {
            for (int i = -5; i < 6; i++)
            {
                cells.Add((i, j));
            }
        }

        var grid = BeamletGrid.FromCells(beam, beamletMm, beamletMm, cells);
        var rng = new Random(4);
        double[] w = [.. Enumerable.Range(0, grid.Count).Select(_ => 20 * rng.NextDouble())];
        var options = new SequencingOptions { Levels = 8, MinSegmentMu = 2, LeafWidthMm = leafMm };
        var mlc = MlcModel.Uniform(leafMm, 40);
        SequencedBeam s = LeafSequencer.Sequence(grid, w, mlc, options);
        Assert.NotEmpty(s.Segments);
        double step = Math.Max(2, w.Max() / 8);
        foreach (Segment seg in s.Segments)
        {
            Assert.True(seg.MonitorUnits >= options.MinSegmentMu - 1e-9);
            for (int k = 0; k < mlc.Pairs; k++)
            {
                Assert.True(seg.BankAMm[k] <= seg.BankBMm[k]);
            }
        }

        double[] delivered = LeafSequencer.DeliveredWeights(grid, s);
        if (leafMm == beamletMm)
        {
            for (int n = 0; n < grid.Count; n++)
            {
                Assert.Equal(Math.Round(w[n] / step, MidpointRounding.AwayFromZero) * step, delivered[n], 6);
            }
        }

        // Total fluence is kept to within half a level per beamlet on average.
        Assert.Equal(w.Sum(), delivered.Sum(), 0.5 * step * grid.Count);
    }
}
