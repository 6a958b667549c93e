using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Contours;

public class ContourTracerTests
{
    private static VoxelMask MaskFromRows(GridGeometry g, int k, params string[] rowsTopDown)
    {
        // Rows are written top (highest j) first, as they look on paper with j pointing up.
        var mask = new VoxelMask("m", g);
        for (int r = 0; r < rowsTopDown.Length; r++)
        {
            int j = rowsTopDown.Length - 1 - r;
            for (int i = 0; i < rowsTopDown[r].Length; i++)
            {
                mask[i, j, k] = rowsTopDown[r][i] == '#';
            }
        }

        return mask;
    }

    private static void AssertRoundTrip(VoxelMask mask)
    {
        IReadOnlyList<Contour> contours = ContourTracer.Trace(mask);
        VoxelMask back = ContourRasterizer.Rasterize("back", contours, mask.Geometry, mask.Geometry.SpacingMm.Z);
        int diff = ContourTestData.FirstDifference(mask, back);
        Assert.True(diff < 0, $"round trip differs at voxel {diff} (mask {mask.Voxels[Math.Max(diff, 0)]})");
    }

    [Fact]
    public void Trace_SingleVoxel_OneCounterClockwiseSquareOnVoxelCorners()
    {
        GridGeometry g = new(5, 5, 3, new Vec3(2, 3, 4), new Vec3(10, 20, 30));
        var mask = new VoxelMask("one", g);
        mask[2, 3, 1] = true;

        IReadOnlyList<Contour> contours = ContourTracer.Trace(mask);

        Contour c = Assert.Single(contours);
        Assert.Equal(4, c.Count);
        Assert.Equal(new Vec3(13, 27.5, 34), c.PointsLps[0]);  // corner (i − ½, j − ½) of voxel (2, 3)
        Assert.Equal(new Vec3(15, 27.5, 34), c.PointsLps[1]);
        Assert.Equal(new Vec3(15, 30.5, 34), c.PointsLps[2]);
        Assert.Equal(new Vec3(13, 30.5, 34), c.PointsLps[3]);
        Assert.Equal(6, c.AreaVectorMm2.Z, 9);
    }

    [Fact]
    public void Trace_Rectangle_FourCornersCollinearPointsMerged()
    {
        GridGeometry g = new(10, 8, 1, new Vec3(1, 1, 1), Vec3.Zero);
        VoxelMask mask = MaskFromRows(g, 0, "", "  ######", "  ######", "  ######");
        Contour c = Assert.Single(ContourTracer.Trace(mask));
        Assert.Equal(4, c.Count);
        Assert.Equal(18, c.AreaMm2, 9);
    }

    [Fact]
    public void Trace_Annulus_OuterCounterClockwiseHoleClockwise()
    {
        GridGeometry g = new(7, 7, 1, new Vec3(1, 1, 1), Vec3.Zero);
        VoxelMask mask = MaskFromRows(g, 0, "#####", "#####", "##.##", "#####", "#####");

        IReadOnlyList<Contour> contours = ContourTracer.Trace(mask);

        Assert.Equal(2, contours.Count);
        double[] areas = [ContourTestData.SignedAreaInGridMm2(contours[0], g), ContourTestData.SignedAreaInGridMm2(contours[1], g)];
        Array.Sort(areas);
        Assert.Equal(-1, areas[0], 9);
        Assert.Equal(25, areas[1], 9);
        AssertRoundTrip(mask);
    }

    [Fact]
    public void Trace_VoxelsTouchingAtCorner_AreSeparateContours()
    {
        GridGeometry g = new(4, 4, 1, new Vec3(1, 1, 1), Vec3.Zero);
        VoxelMask mask = MaskFromRows(g, 0, "#.", ".#");
        IReadOnlyList<Contour> contours = ContourTracer.Trace(mask);
        Assert.Equal(2, contours.Count);
        Assert.All(contours, c => Assert.Equal(4, c.Count));
        Assert.All(contours, c => Assert.Equal(1, ContourTestData.SignedAreaInGridMm2(c, g), 9));
        AssertRoundTrip(mask);
    }

    [Fact]
    public void Trace_HolesTouchingAtCorner_AreOneClockwiseHole()
    {
        GridGeometry g = new(6, 6, 1, new Vec3(1, 1, 1), Vec3.Zero);
        VoxelMask mask = MaskFromRows(g, 0, "####", "#.##", "##.#", "####");
        IReadOnlyList<Contour> contours = ContourTracer.Trace(mask);
        Assert.Equal(2, contours.Count);
        var signed = contours.Select(c => ContourTestData.SignedAreaInGridMm2(c, g)).Order().ToArray();
        Assert.Equal(-2, signed[0], 9);
        Assert.Equal(16, signed[1], 9);
        AssertRoundTrip(mask);
    }

    [Fact]
    public void Trace_Checkerboard_EveryVoxelItsOwnSquareAndRoundTripExact()
    {
        GridGeometry g = new(9, 7, 2, new Vec3(0.7, 0.9, 2), new Vec3(-3, 4, 5));
        var mask = new VoxelMask("checker", g);
        for (int k = 0; k < 2; k++)
        {
            for (int j = 0; j < 7; j++)
            {
                for (int i = 0; i < 9; i++)
                {
                    mask[i, j, k] = (i + j + k) % 2 == 0;
                }
            }
        }

        Assert.Equal(mask.Count, ContourTracer.Trace(mask).Count);
        AssertRoundTrip(mask);
    }

    [Fact]
    public void Trace_MaskTouchingGridBorder_ClosesAlongBorder()
    {
        GridGeometry g = new(6, 5, 3, new Vec3(1, 1, 1), Vec3.Zero);
        var mask = new VoxelMask("full", g);
        Array.Fill(mask.Voxels, (byte)1);
        mask[2, 2, 1] = false;
        IReadOnlyList<Contour> contours = ContourTracer.Trace(mask);
        Assert.Equal(4, contours.Count);
        AssertRoundTrip(mask);
    }

    [Theory]
    [InlineData(1, 0.5, 0)]
    [InlineData(2, 0.5, 2)]
    [InlineData(3, 0.45, 4)]
    [InlineData(4, 0.55, 1)]
    [InlineData(5, 0.2, 0)]
    [InlineData(6, 0.8, 0)]
    public void Trace_RandomBlobs_RoundTripExact(int seed, double density, int smoothing)
    {
        GridGeometry g = new(37, 29, 6, new Vec3(1.1, 0.9, 2.5), new Vec3(-20.3, 7.7, -4.1));
        VoxelMask mask = ContourTestData.RandomBlobs(g, seed, density, smoothing);
        Assert.False(mask.IsEmpty);
        AssertRoundTrip(mask);
    }

    [Fact]
    public void Trace_RandomBlobsOnObliqueGrid_RoundTripExact()
    {
        Mat3 direction = Mat3.Rotation(new Vec3(1, 2, 3), 0.9);
        GridGeometry g = new(31, 33, 5, new Vec3(0.8, 1.2, 3), new Vec3(12.3, -45.6, 78.9), direction);
        VoxelMask mask = ContourTestData.RandomBlobs(g, 11, 0.5, 2);
        AssertRoundTrip(mask);
    }

    [Fact]
    public void Trace_SignedAreasSumToMaskArea_AndContoursLieInSlicePlanes()
    {
        GridGeometry g = new(40, 40, 4, new Vec3(0.5, 0.75, 2), new Vec3(1, 2, 3));
        VoxelMask mask = ContourTestData.RandomBlobs(g, 7, 0.5, 3);
        double sum = 0;
        foreach (Contour c in ContourTracer.Trace(mask))
        {
            sum += ContourTestData.SignedAreaInGridMm2(c, g);
            double k = g.LpsToIndex(c.PointsLps[0]).Z;
            Assert.Equal(Math.Round(k), k, 9);
            foreach (Vec3 p in c.PointsLps)
            {
                Vec3 idx = g.LpsToIndex(p);
                Assert.Equal(k, idx.Z, 9);
                Assert.Equal(0.5, Math.Abs(idx.X - Math.Floor(idx.X)), 9);  // on voxel corners
                Assert.Equal(0.5, Math.Abs(idx.Y - Math.Floor(idx.Y)), 9);
            }
        }

        Assert.Equal(mask.Count * 0.5 * 0.75, sum, 6);
    }

    [Fact]
    public void Trace_NoCollinearConsecutivePoints()
    {
        GridGeometry g = new(30, 30, 1, new Vec3(1, 1, 1), Vec3.Zero);
        VoxelMask mask = ContourTestData.RandomBlobs(g, 3, 0.5, 3);
        foreach (Contour c in ContourTracer.Trace(mask))
        {
            for (int n = 0; n < c.Count; n++)
            {
                Vec3 a = c.PointsLps[(n + c.Count - 1) % c.Count], b = c.PointsLps[n], d = c.PointsLps[(n + 1) % c.Count];
                Assert.NotEqual(0, Vec3.Cross(b - a, d - b).Length, 9);
            }
        }
    }

    [Fact]
    public void TraceSlice_EmptySliceAndBadIndex()
    {
        GridGeometry g = new(4, 4, 2, new Vec3(1, 1, 1), Vec3.Zero);
        var mask = new VoxelMask("m", g);
        mask[1, 1, 1] = true;
        Assert.Empty(ContourTracer.TraceSlice(mask, 0));
        Assert.Single(ContourTracer.TraceSlice(mask, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContourTracer.TraceSlice(mask, 2));
    }

    [Fact]
    public void Trace_ContiguousMaskWithoutExplicitSpacing_RoundTripExact()
    {
        // A blob present on every slice needs no plane spacing: the inferred one equals the grid's.
        GridGeometry g = new(30, 30, 8, new Vec3(1, 1, 2), Vec3.Zero);
        var mask = new VoxelMask("rod", g);
        for (int k = 0; k < 8; k++)
        {
            for (int j = 5 + k % 3; j < 20; j++)
            {
                for (int i = 3; i < 10 + k; i++)
                {
                    mask[i, j, k] = true;
                }
            }
        }

        VoxelMask back = ContourRasterizer.Rasterize("back", ContourTracer.Trace(mask), g);
        Assert.Equal(-1, ContourTestData.FirstDifference(mask, back));
    }
}
