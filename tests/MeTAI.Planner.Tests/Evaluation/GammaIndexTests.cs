using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Planner.Evaluation;

namespace MeTAI.Planner.Tests.Evaluation;

public class GammaIndexTests
{
    private static VoxelGrid<float> Gaussian(double shiftMm, double scale, double spacing = 2)
    {
        var g = new GridGeometry(40, 40, 20, new Vec3(spacing, spacing, spacing), Vec3.Zero);
        var d = new VoxelGrid<float>(g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    double x = i * spacing - 40 - shiftMm, y = j * spacing - 40, z = k * spacing - 20;
                    d[i, j, k] = (float)(scale * 2 * Math.Exp(-(x * x + y * y + z * z) / (2 * 15 * 15)));
                }
            }
        }

        return d;
    }

    [Fact]
    public void Identical_AllPass()
    {
        GammaResult r = GammaIndex.Compute(Gaussian(0, 1), Gaussian(0, 1));
        Assert.Equal(1.0, r.PassRate);
        Assert.True(r.AnalysedVoxels > 1000);
        Assert.Equal(2.0, r.ReferenceDoseGy, 3);
    }

    [Fact]
    public void ShiftWithinDta_PassesAndBeyondFails()
    {
        Assert.Equal(1.0, GammaIndex.Compute(Gaussian(0, 1), Gaussian(2, 1), new GammaOptions { DoseTolerance = 0.01, DtaMm = 3 }).PassRate);
        Assert.True(GammaIndex.Compute(Gaussian(0, 1), Gaussian(6, 1), new GammaOptions { DoseTolerance = 0.01, DtaMm = 2 }).PassRate < 0.9);
    }

    [Fact]
    public void DoseScale_GlobalVersusLocal()
    {
        // +2 %: every voxel passes 3 % global; local also (2 % < 3 % everywhere).
        Assert.Equal(1.0, GammaIndex.Compute(Gaussian(0, 1), Gaussian(0, 1.02), new GammaOptions { DtaMm = 0.1 }).PassRate);
        // +5 % with 1 mm DTA on 2 mm voxels fails in the flat high-dose region.
        Assert.True(GammaIndex.Compute(Gaussian(0, 1), Gaussian(0, 1.05), new GammaOptions { DtaMm = 1 }).PassRate < 1.0);
    }

    [Fact]
    public void Subdivisions_NeverLowerThePassRate()
    {
        VoxelGrid<float> a = Gaussian(0, 1, 4), b = Gaussian(1.5, 1.03, 4);
        double coarse = GammaIndex.Compute(a, b, new GammaOptions { DtaMm = 2 }).PassRate;
        double fine = GammaIndex.Compute(a, b, new GammaOptions { DtaMm = 2, Subdivisions = 4 }).PassRate;
        Assert.True(fine >= coarse - 1e-12, $"interpolated search {fine} < voxel search {coarse}");
    }

    [Fact]
    public void IsodoseLines_CircleLevel_GivesAClosedRing()
    {
        var v = new double[21, 21];
        for (int r = 0; r < 21; r++)
        {
            for (int c = 0; c < 21; c++)
            {
                v[r, c] = 100 - ((r - 10) * (r - 10) + (c - 10) * (c - 10));
            }
        }

        var segs = IsodoseLines.Segments(v, 75);
        Assert.NotEmpty(segs);
        foreach ((double x0, double y0, _, _) in segs)
        {
            double rr = Math.Sqrt((x0 - 10) * (x0 - 10) + (y0 - 10) * (y0 - 10));
            Assert.InRange(rr, 4.5, 5.5);
        }
    }
}
