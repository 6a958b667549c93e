using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Dose;

public class DenoiserTests
{
    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    [Fact]
    public void Denoise_SmoothNoisyDose_CutsTheErrorAndKeepsAStepEdge()
    {
        var g = new GridGeometry(32, 32, 32, new Vec3(5, 5, 5), Vec3.Zero);
        var rng = new Random(1);
        var truth = new float[g.VoxelCount];
        var d = new VoxelGrid<float>(g);
        var u = new VoxelGrid<float>(g);
        var rho = new float[g.VoxelCount];
        Array.Fill(rho, 1f);
        const double sigma = 0.03;
        for (int k = 0; k < 32; k++)
        {
            for (int j = 0; j < 32; j++)
            {
                for (int i = 0; i < 32; i++)
                {
                    int n = g.Index(i, j, k);
                    double x = (i - 16) / 16.0;
                    // Smooth quadratic dose on the left half, a 50 % step down at i = 24.
                    double t = (2.0 - 0.3 * x * x) * (i >= 24 ? 0.5 : 1.0);
                    truth[n] = (float)t;
                    d.Data[n] = (float)(t * (1 + sigma * Gauss(rng)));
                    u.Data[n] = (float)sigma;
                }
            }
        }

        (VoxelGrid<float> dn, _, double fraction) = DoseDenoiser.Denoise(d, u, rho);
        double rawErr = 0, denErr = 0;
        int count = 0;
        for (int k = 2; k < 30; k++)
        {
            for (int j = 2; j < 30; j++)
            {
                for (int i = 2; i < 20; i++)
                {
                    int n = g.Index(i, j, k);
                    rawErr += Math.Pow(d.Data[n] / truth[n] - 1, 2);
                    denErr += Math.Pow(dn.Data[n] / truth[n] - 1, 2);
                    count++;
                }
            }
        }

        Assert.True(fraction > 0.5);
        Assert.True(Math.Sqrt(denErr / count) < 0.6 * Math.Sqrt(rawErr / count), $"denoised {Math.Sqrt(denErr / count)} vs raw {Math.Sqrt(rawErr / count)}");
        // The voxels beside the step keep the step (no smearing of a 50 % edge).
        double left = 0, right = 0;
        for (int k = 4; k < 28; k++)
        {
            for (int j = 4; j < 28; j++)
            {
                left += dn[23, j, k] / truth[g.Index(23, j, k)];
                right += dn[24, j, k] / truth[g.Index(24, j, k)];
            }
        }

        Assert.InRange(left / (24 * 24), 0.97, 1.03);
        Assert.InRange(right / (24 * 24), 0.97, 1.03);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SavitzkyGolayWeights_SumToOneAndReproduceAQuadratic(int m)
    {
        double[] w = DepthSmoother.CentreWeights(m);
        Assert.Equal(1, w.Sum(), 12);
        double value = 0;
        for (int k = -m; k <= m; k++)
        {
            value += w[k + m] * (3 + 2 * k - 0.5 * k * k);
        }

        Assert.Equal(3, value, 12);
    }

    [Fact]
    public void DepthSmoother_AxisAlignedRay_AveragesNoiseAlongTheRayOnly()
    {
        var g = new GridGeometry(5, 40, 5, new Vec3(5, 5, 5), Vec3.Zero);
        var rho = new float[g.VoxelCount];
        Array.Fill(rho, 1f);
        var rng = new Random(2);
        var dose = new float[g.VoxelCount];
        for (int n = 0; n < dose.Length; n++)
        {
            int i = n % 5, k = n / 200;
            // A one-voxel pencil along y through (2, ·, 2).
            dose[n] = i == 2 && k == 2 ? (float)(1 + 0.1 * Gauss(rng)) : 0f;
        }

        var smoother = new DepthSmoother(g, rho, 9);
        int[] voxels = [.. Enumerable.Range(5, 30).Select(j => g.Index(2, j, 2))];
        var result = new float[voxels.Length];
        smoother.Smooth(dose, voxels, new Vec3(0, 1, 0), result);
        double rawVar = voxels.Select(v => Math.Pow(dose[v] - 1, 2)).Average();
        double smoothVar = result.Select(v => Math.Pow(v - 1, 2)).Average();
        Assert.True(smoothVar < 0.5 * rawVar, $"variance {smoothVar} vs raw {rawVar}");
        // Nothing leaks sideways: the pencil's neighbours stay 0.
        var side = new float[1];
        smoother.Smooth(dose, [g.Index(1, 20, 2)], new Vec3(0, 1, 0), side);
        Assert.Equal(0f, side[0]);
    }
}
