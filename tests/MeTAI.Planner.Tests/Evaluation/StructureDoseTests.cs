using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Evaluation;

namespace MeTAI.Planner.Tests.Evaluation;

public class StructureDoseTests
{
    private static (float[] Dose, VoxelMask Mask) Ramp()
    {
        // 100 voxels with doses 1, 2, …, 100 Gy.
        var g = new GridGeometry(10, 10, 1, new Vec3(10, 10, 10), Vec3.Zero);
        var mask = new VoxelMask("S", g);
        var dose = new float[100];
        for (int n = 0; n < 100; n++)
        {
            dose[n] = n + 1;
            mask.Voxels[n] = 1;
        }

        return (dose, mask);
    }

    [Fact]
    public void Metrics_OnARamp_AreTheOrderStatistics()
    {
        (float[] dose, VoxelMask mask) = Ramp();
        var s = new StructureDose("S", dose, mask);
        Assert.Equal(100, s.Count);
        Assert.Equal(100, s.VolumeCc, 9);
        Assert.Equal(50.5, s.MeanGy, 9);
        Assert.Equal(1, s.MinGy);
        Assert.Equal(100, s.MaxGy);
        // D95: the hottest 95 voxels all get ≥ 6 Gy.
        Assert.Equal(6, s.DoseAtVolumePercent(95));
        Assert.Equal(99, s.DoseAtVolumePercent(2));
        Assert.Equal(51, s.DoseAtVolumePercent(50));
        Assert.Equal(98, s.DoseAtVolumeCc(3));
        Assert.Equal(50, s.VolumePercentAtDose(51), 9);
        Assert.Equal(100, s.VolumePercentAtDose(0.5), 9);
        Assert.Equal(0, s.VolumePercentAtDose(101), 9);
    }

    [Fact]
    public void Dvh_CumulativeStartsAt100AndFalls()
    {
        (float[] dose, VoxelMask mask) = Ramp();
        Dvh d = Dvh.From(new StructureDose("S", dose, mask), 1);
        Assert.Equal(100, d.Cumulative[0], 9);
        Assert.Equal(50, d.Cumulative[51], 9);
        Assert.Equal(100, d.Differential.Sum(), 9);
        for (int b = 1; b < d.Cumulative.Length; b++)
        {
            Assert.True(d.Cumulative[b] <= d.Cumulative[b - 1]);
        }
    }

    [Fact]
    public void PaddickAndHomogeneity_IdealAndSpilledDoses()
    {
        var g = new GridGeometry(10, 10, 1, new Vec3(5, 5, 5), Vec3.Zero);
        var target = new VoxelMask("PTV", g);
        var body = new VoxelMask("Body", g);
        var dose = new float[100];
        for (int n = 0; n < 100; n++)
        {
            body.Voxels[n] = 1;
            target.Voxels[n] = (byte)(n < 25 ? 1 : 0);
            dose[n] = n < 25 ? 60 : 10;
        }

        Assert.Equal(1, PlanQuality.PaddickConformityIndex(dose, target, body, 60), 9);
        Assert.Equal(0, PlanQuality.HomogeneityIndex(new StructureDose("PTV", dose, target)), 9);
        // Spill: 25 more voxels at the prescription outside the target → CI = 25² / (25 · 50) = 0.5.
        for (int n = 25; n < 50; n++)
        {
            dose[n] = 60;
        }

        Assert.Equal(0.5, PlanQuality.PaddickConformityIndex(dose, target, body, 60), 9);
    }

    [Theory]
    [InlineData("D95", DoseMetricKind.DoseAtVolumePercent, 95)]
    [InlineData("D2cc", DoseMetricKind.DoseAtVolumeCc, 2)]
    [InlineData("Dmean", DoseMetricKind.Mean, 0)]
    [InlineData("V65Gy", DoseMetricKind.VolumeAtDoseGy, 65)]
    [InlineData("V95%", DoseMetricKind.VolumeAtDosePercent, 95)]
    public void Parse_KnownMetrics(string name, DoseMetricKind kind, double parameter)
    {
        DoseMetric m = DoseMetrics.Parse(name);
        Assert.Equal(kind, m.Kind);
        Assert.Equal(parameter, m.Parameter);
    }
}
