using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Service.Rehearsals;

namespace MeTAI.Service.Tests.Rehearsals;

/// <summary>
/// <see cref="Isosurface"/> on fields whose level sets are known: a Gaussian "dose" (its 50 % surface a sphere of radius
/// σ·√(2 ln 2)), a field cut off by the grid's edge, a mirrored grid and a sampled (strided) one. Each surface is closed
/// and wound outward, and encloses the volume it should.
/// </summary>
public class IsosurfaceTests
{
    private static (GridGeometry G, float[] Values) Gaussian(Vec3 centre, double sigmaMm, double voxelMm, int n, Mat3? direction = null, Vec3? origin = null)
    {
        var g = new GridGeometry(n, n, n, new Vec3(voxelMm, voxelMm, voxelMm), origin ?? new Vec3(-(n - 1) * voxelMm / 2, -(n - 1) * voxelMm / 2, -(n - 1) * voxelMm / 2), direction);
        float[] values = new float[g.VoxelCount];
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double r2 = (g.IndexToLps(i, j, k) - centre).LengthSquared;
                    values[g.Index(i, j, k)] = (float)(100 * Math.Exp(-r2 / (2 * sigmaMm * sigmaMm)));
                }
            }
        }

        return (g, values);
    }

    [Fact]
    public void Extract_GaussianAtHalf_IsTheSphereItShouldBe()
    {
        var centre = new Vec3(3.3, -2.1, 1.7);
        (GridGeometry g, float[] values) = Gaussian(centre, 12, 2, 41);
        (TriangleSurface s, int stride) = Isosurface.Extract(g, values, 50);
        Assert.Equal(1, stride);
        RehearsalJobTests.AssertClosedAndOriented(s.Indices, "50 %");
        double radius = 12 * Math.Sqrt(2 * Math.Log(2));
        double volume = RehearsalJobTests.EnclosedVolumeMm3(s.PositionsLps, s.Indices);
        Assert.Equal(4.0 / 3 * Math.PI * radius * radius * radius, volume, 0.03 * volume);
        for (int v = 0; v < s.PositionsLps.Length; v += 3)
        {
            double r = (new Vec3(s.PositionsLps[v], s.PositionsLps[v + 1], s.PositionsLps[v + 2]) - centre).Length;
            Assert.True(Math.Abs(r - radius) < 0.5, $"vertex {v / 3} at {r:0.00} mm from the centre, not {radius:0.00}");
        }

        // A higher level lies inside: smaller, and every vertex of it inside the 50 % surface.
        (TriangleSurface s95, _) = Isosurface.Extract(g, values, 95);
        RehearsalJobTests.AssertClosedAndOriented(s95.Indices, "95 %");
        Assert.True(RehearsalJobTests.EnclosedVolumeMm3(s95.PositionsLps, s95.Indices) < volume);
        for (int v = 0; v < s95.PositionsLps.Length; v += 3)
        {
            var at = new Vec3(s95.PositionsLps[v], s95.PositionsLps[v + 1], s95.PositionsLps[v + 2]);
            Assert.Equal(1, RehearsalIsodoseTests.WindingNumber(s.PositionsLps, s.Indices, at), 6);
        }
    }

    [Fact]
    public void Extract_RegionAtTheGridEdge_IsClosedThere()
    {
        // The Gaussian's centre on the grid's corner: the region is cut by three faces of the grid and closed on them.
        (GridGeometry g, float[] values) = Gaussian(new Vec3(0, 0, 0), 10, 2, 21, origin: Vec3.Zero);
        (TriangleSurface s, _) = Isosurface.Extract(g, values, 50);
        RehearsalJobTests.AssertClosedAndOriented(s.Indices, "corner");
        Assert.True(RehearsalJobTests.EnclosedVolumeMm3(s.PositionsLps, s.Indices) > 0);
    }

    [Fact]
    public void Extract_MirroredOrSampledGrid_StaysOutwardAndClosed()
    {
        // A left-handed grid (k runs inferior): the winding follows LPS, not index space.
        var mirror = new Mat3(1, 0, 0, 0, 1, 0, 0, 0, -1);
        (GridGeometry g, float[] values) = Gaussian(Vec3.Zero, 8, 2, 25, mirror, new Vec3(-24, -24, 24));
        (TriangleSurface s, _) = Isosurface.Extract(g, values, 50);
        RehearsalJobTests.AssertClosedAndOriented(s.Indices, "mirrored");
        double radius = 8 * Math.Sqrt(2 * Math.Log(2));
        double volume = RehearsalJobTests.EnclosedVolumeMm3(s.PositionsLps, s.Indices);
        Assert.Equal(4.0 / 3 * Math.PI * radius * radius * radius, volume, 0.05 * volume);

        // Sampled every second voxel (maxSide 13 of 25): still closed and outward, about the same sphere.
        (TriangleSurface half, int stride) = Isosurface.Extract(g, values, 50, maxSide: 13);
        Assert.Equal(2, stride);
        RehearsalJobTests.AssertClosedAndOriented(half.Indices, "sampled");
        Assert.Equal(volume, RehearsalJobTests.EnclosedVolumeMm3(half.PositionsLps, half.Indices), 0.15 * volume);
    }

    [Fact]
    public void Extract_BadInput_IsRefused()
    {
        var g = new GridGeometry(2, 2, 2, new Vec3(1, 1, 1), Vec3.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => Isosurface.Extract(g, new float[8], 0));
        Assert.Throws<ArgumentException>(() => Isosurface.Extract(g, new float[7], 1));
        Assert.Empty(Isosurface.Extract(g, new float[8], 1).Surface.Indices);
    }
}
