using System.Diagnostics;
using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Contours;

public class ContourRasterizerTests
{
    private static GridGeometry Grid(int nx, int ny, int nz, double spacingXy, double spacingZ, Vec3 origin, Mat3? direction = null) =>
        new(nx, ny, nz, new Vec3(spacingXy, spacingXy, spacingZ), origin, direction);

    /// <summary>Number of inside voxels in slice k.</summary>
    private static int SliceCount(VoxelMask mask, int k)
    {
        int n = 0;
        foreach (byte b in mask.Voxels.AsSpan(k * mask.Geometry.SizeX * mask.Geometry.SizeY, mask.Geometry.SizeX * mask.Geometry.SizeY))
        {
            n += b != 0 ? 1 : 0;
        }

        return n;
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(3.1, -2.7)]
    [InlineData(0.125, 0.0625)]
    public void Rasterize_Circle360PointsOnQuarterMmGrid_AreaWithinTwoTenthsPercent(double cx, double cy)
    {
        // 360-gon of radius 20 mm: its own area is πr²·(1 − 5e-5); the grid adds only edge noise.
        GridGeometry g = Grid(200, 200, 1, 0.25, 0.25, new Vec3(-24.875, -24.875, 0));
        Contour circle = ContourTestData.Circle(new Vec3(cx, cy, 0), 20, 360);

        VoxelMask mask = ContourRasterizer.Rasterize("circle", [circle], g);

        double areaMm2 = mask.Count * 0.25 * 0.25;
        double exact = Math.PI * 20 * 20;
        Assert.InRange(Math.Abs(areaMm2 - exact) / exact, 0, 0.002);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rasterize_Annulus_HoleIsEmptyWhateverItsOrientation(bool holeCounterClockwise)
    {
        GridGeometry g = Grid(200, 200, 1, 0.25, 1, new Vec3(-24.875, -24.875, 0));
        Contour outer = ContourTestData.Circle(Vec3.Zero, 20, 360);
        Contour hole = ContourTestData.Circle(Vec3.Zero, 10, 360, holeCounterClockwise);

        VoxelMask mask = ContourRasterizer.Rasterize("ring", [outer, hole], g);

        double exact = Math.PI * (400 - 100);
        Assert.InRange(Math.Abs(mask.Count * 0.0625 - exact) / exact, 0, 0.002);
        Assert.True(g.TryNearestVoxel(Vec3.Zero, out int i, out int j, out int k));
        Assert.False(mask[i, j, k]);
        Assert.True(g.TryNearestVoxel(new Vec3(15, 0, 0), out i, out j, out k));
        Assert.True(mask[i, j, k]);
    }

    [Fact]
    public void Rasterize_DisjointIslandsAndIslandInHole_AllFollowEvenOdd()
    {
        GridGeometry g = Grid(100, 100, 1, 1, 1, new Vec3(-49.5, -49.5, 0));
        Contour[] contours =
        [
            ContourTestData.Square(-25, 0, 0, 20),  // island A
            ContourTestData.Square(20, 0, 0, 40),   // island B with a hole and an island in the hole
            ContourTestData.Square(20, 0, 0, 20),
            ContourTestData.Square(20, 0, 0, 6),
        ];

        VoxelMask mask = ContourRasterizer.Rasterize("islands", contours, g);

        Assert.Equal(400 + (1600 - 400) + 36, mask.Count);
        Assert.True(mask[49 - 25, 49, 0] || mask[50 - 25, 50, 0]);
        Assert.False(mask[49 + 15, 50, 0]);  // in B's hole
        Assert.True(mask[49 + 20, 49, 0]);   // in the island inside the hole
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Rasterize_RandomPolygonsOnObliqueShiftedGrid_MatchesBruteForceEvenOdd(int seed)
    {
        var random = new Random(seed);
        Mat3 direction = Mat3.Rotation(new Vec3(0.3, -0.5, 0.8), 0.7 + seed);
        GridGeometry g = new(57, 43, 3, new Vec3(0.9, 1.3, 2.0), new Vec3(-21.37, 8.11, -3.3), direction);
        Vec3 u = direction.Column(0), v = direction.Column(1);
        Vec3 center = g.IndexToLps(28, 21, 1);
        var contours = new List<Contour>();
        for (int c = 0; c < 3; c++)
        {
            // Random, often self-intersecting polygons: the even-odd rule must still hold voxel by voxel.
            int count = random.Next(3, 40);
            var points = new Vec3[count];
            for (int n = 0; n < count; n++)
            {
                points[n] = center + u * (random.NextDouble() * 60 - 30) + v * (random.NextDouble() * 60 - 30);
            }

            contours.Add(new Contour(points));
        }

        VoxelMask mask = ContourRasterizer.Rasterize("random", contours, g);

        bool[] expected = ContourTestData.BruteForceSlice(contours, g, 1);
        Assert.Contains(true, expected);
        for (int j = 0; j < g.SizeY; j++)
        {
            for (int i = 0; i < g.SizeX; i++)
            {
                Assert.True(expected[i + g.SizeX * j] == mask[i, j, 1], $"voxel ({i}, {j}) differs");
            }
        }

        Assert.Equal(0, SliceCount(mask, 0));
        Assert.Equal(0, SliceCount(mask, 2));
    }

    [Fact]
    public void Rasterize_ContourVerticesOnVoxelCentres_FollowHalfOpenConvention()
    {
        // Square with corners exactly on voxel centres 2..6: centres on the left and bottom edges are inside,
        // on the right and top edges outside (the PNPOLY convention), so exactly 4×4 voxels.
        GridGeometry g = Grid(10, 10, 1, 1, 1, Vec3.Zero);
        VoxelMask mask = ContourRasterizer.Rasterize("sq", [new Contour([new(2, 2, 0), new(6, 2, 0), new(6, 6, 0), new(2, 6, 0)])], g);
        Assert.Equal(16, mask.Count);
        Assert.True(mask[2, 2, 0]);
        Assert.True(mask[5, 5, 0]);
        Assert.False(mask[6, 5, 0]);
        Assert.False(mask[5, 6, 0]);
    }

    [Fact]
    public void Rasterize_GridSlicesBetweenPlanes_UseNearestPlaneWithinHalfSpacing()
    {
        // Planes at z = 0, 3, 6 with squares of 10, 20 and 30 mm; 1 mm grid slices from z = −5 to 10.
        Contour[] contours = [ContourTestData.Square(0, 0, 0, 10), ContourTestData.Square(0, 0, 3, 20), ContourTestData.Square(0, 0, 6, 30)];
        GridGeometry g = Grid(40, 40, 16, 1, 1, new Vec3(-19.5, -19.5, -5));

        VoxelMask mask = ContourRasterizer.Rasterize("steps", contours, g);

        int[] expected = new int[16];
        expected[5 - 1] = 100;   // z = −1: 1 mm from plane 0 (half spacing 1.5)
        expected[5 + 0] = 100;
        expected[5 + 1] = 100;
        expected[5 + 2] = 400;   // z = 2 is nearer plane 3
        expected[5 + 3] = 400;
        expected[5 + 4] = 400;
        expected[5 + 5] = 900;
        expected[5 + 6] = 900;
        expected[5 + 7] = 900;   // z = 7: 1 mm beyond the last plane
        for (int k = 0; k < 16; k++)
        {
            Assert.True(expected[k] == SliceCount(mask, k), $"slice z = {k - 5} mm: expected {expected[k]}, got {SliceCount(mask, k)}");
        }
    }

    [Fact]
    public void Rasterize_SliceOnSlabFace_BelongsToUpperPlaneAndEndsAreHalfOpen()
    {
        // 0.5 mm slices hit the faces at z = −1.5, 1.5, 4.5, 7.5 exactly: lower faces are in, the top face is out,
        // so the structure is 9 mm thick like its three 3 mm planes.
        Contour[] contours = [ContourTestData.Square(0, 0, 0, 10), ContourTestData.Square(0, 0, 3, 20), ContourTestData.Square(0, 0, 6, 30)];
        GridGeometry g = Grid(40, 40, 31, 1, 0.5, new Vec3(-19.5, -19.5, -4));

        VoxelMask mask = ContourRasterizer.Rasterize("faces", contours, g);

        int K(double z) => (int)Math.Round((z + 4) / 0.5);
        Assert.Equal(0, SliceCount(mask, K(-2)));
        Assert.Equal(100, SliceCount(mask, K(-1.5)));
        Assert.Equal(100, SliceCount(mask, K(1)));
        Assert.Equal(400, SliceCount(mask, K(1.5)));
        Assert.Equal(900, SliceCount(mask, K(4.5)));
        Assert.Equal(900, SliceCount(mask, K(7)));
        Assert.Equal(0, SliceCount(mask, K(7.5)));
        Assert.Equal(18, CountNonEmptySlices(mask));  // 9 mm / 0.5 mm
    }

    [Fact]
    public void Rasterize_GridSlicesOffsetFromPlanes_CoverEachPlaneThickness()
    {
        // 2.5 mm contour planes from z = 0 to 50 (21 planes, 52.5 mm of structure) on a 1 mm grid offset by 0.3 mm.
        var contours = new List<Contour>();
        for (int p = 0; p <= 20; p++)
        {
            contours.Add(ContourTestData.Square(0, 0, p * 2.5, 10));
        }

        GridGeometry g = Grid(20, 20, 80, 1, 1, new Vec3(-9.5, -9.5, -10.3));

        VoxelMask mask = ContourRasterizer.Rasterize("rod", contours, g);

        // Slices at z = −10.3 + k: inside [−1.25, 51.25) → z = −0.3 .. 50.7 → 52 slices.
        Assert.Equal(52, CountNonEmptySlices(mask));
        Assert.Equal(0, SliceCount(mask, 9));    // z = −1.3
        Assert.Equal(100, SliceCount(mask, 10)); // z = −0.3
        Assert.Equal(100, SliceCount(mask, 61)); // z = 50.7
        Assert.Equal(0, SliceCount(mask, 62));   // z = 51.7
    }

    [Fact]
    public void Rasterize_IsolatedPlanes_NeedExplicitSpacingToStayThin()
    {
        // Two single-plane lesions 9 mm apart, drawn on 3 mm CT slices.
        Contour[] contours = [ContourTestData.Square(0, 0, 0, 10), ContourTestData.Square(0, 0, 9, 10)];
        GridGeometry g = Grid(20, 20, 21, 1, 1, new Vec3(-9.5, -9.5, -5));

        VoxelMask inferred = ContourRasterizer.Rasterize("lesions", contours, g);
        VoxelMask given = ContourRasterizer.Rasterize("lesions", contours, g, planeSpacingMm: 3);

        // Inferred: each plane takes the 9 mm gap as its spacing, so together they fill [−4.5, 13.5).
        Assert.Equal(18, CountNonEmptySlices(inferred));
        // Given 3 mm: [−1.5, 1.5) and [7.5, 10.5) → z = −1, 0, 1 and 8, 9, 10.
        Assert.Equal(6, CountNonEmptySlices(given));
        Assert.Equal(0, SliceCount(given, 5 + 4));
        Assert.Equal(100, SliceCount(given, 5 + 8));
    }

    [Fact]
    public void Rasterize_UnevenPlaneSpacing_UsesSmallerNeighbourGap()
    {
        // Planes at 0, 2 and 6 mm: local spacings 2, 2 and 4 → slabs [−1, 1), [1, 3), [4, 8): nothing at z = 3.5.
        Contour[] contours = [ContourTestData.Square(0, 0, 0, 10), ContourTestData.Square(0, 0, 2, 10), ContourTestData.Square(0, 0, 6, 10)];
        GridGeometry g = Grid(20, 20, 24, 1, 0.5, new Vec3(-9.5, -9.5, -2));

        VoxelMask mask = ContourRasterizer.Rasterize("uneven", contours, g);

        int K(double z) => (int)Math.Round((z + 2) / 0.5);
        Assert.Equal(0, SliceCount(mask, K(-1.5)));
        Assert.Equal(100, SliceCount(mask, K(-1)));
        Assert.Equal(100, SliceCount(mask, K(2.5)));
        Assert.Equal(0, SliceCount(mask, K(3)));
        Assert.Equal(0, SliceCount(mask, K(3.5)));
        Assert.Equal(100, SliceCount(mask, K(4)));
        Assert.Equal(100, SliceCount(mask, K(7.5)));
        Assert.Equal(0, SliceCount(mask, K(8)));
    }

    [Fact]
    public void Rasterize_SinglePlane_FillsExactlyOneGridSlice()
    {
        GridGeometry g = Grid(20, 20, 10, 1, 2, new Vec3(-9.5, -9.5, -9));
        VoxelMask mask = ContourRasterizer.Rasterize("one", [ContourTestData.Square(0, 0, 0.7, 10)], g);
        Assert.Equal(1, CountNonEmptySlices(mask));
        Assert.Equal(100, SliceCount(mask, 5)); // z = 1, nearest to 0.7
    }

    [Fact]
    public void Rasterize_SeveralContoursOnOnePlaneWithRounding_ShareThePlane()
    {
        // Two contours whose z differ by 1 µm (rounding in a DICOM file) are one plane, not two 1 µm apart.
        Contour[] contours = [ContourTestData.Square(-5, 0, 0, 4), ContourTestData.Square(5, 0, 0.001, 4)];
        GridGeometry g = Grid(20, 20, 5, 1, 1, new Vec3(-9.5, -9.5, -2));
        VoxelMask mask = ContourRasterizer.Rasterize("pair", contours, g);
        Assert.Equal(32, mask.Count);
        Assert.Equal(1, CountNonEmptySlices(mask));
    }

    [Fact]
    public void Rasterize_ObliqueGridWithContoursInItsSlices_MatchesAreaAndBruteForce()
    {
        Mat3 direction = Mat3.RotationX(Units.DegToRad(25)) * Mat3.RotationZ(Units.DegToRad(-40));
        GridGeometry g = new(160, 160, 5, new Vec3(0.5, 0.5, 3), new Vec3(0, 0, 0), direction);
        Vec3 u = direction.Column(0), v = direction.Column(1);
        var contours = new List<Contour>();
        for (int k = 1; k <= 3; k++)
        {
            contours.Add(ContourTestData.Circle(g.IndexToLps(79.5, 79.5, k), 30, 360, u: u, v: v));
        }

        VoxelMask mask = ContourRasterizer.Rasterize("oblique", contours, g);

        double exact = Math.PI * 900;
        Assert.InRange(Math.Abs(SliceCount(mask, 2) * 0.25 - exact) / exact, 0, 0.005);
        Assert.Equal(3, CountNonEmptySlices(mask));
        bool[] expected = ContourTestData.BruteForceSlice([contours[1]], g, 2);
        for (int n = 0; n < expected.Length; n++)
        {
            Assert.Equal(expected[n], mask.Voxels[2 * 160 * 160 + n] != 0);
        }
    }

    [Fact]
    public void Rasterize_LeftHandedGridWithSlicesRunningInferior_MatchesBruteForceAndPlaneRule()
    {
        // Slices stored head to feet (k along −z), as some CT series come: direction cosines with determinant −1.
        var direction = new Mat3(1, 0, 0, 0, 1, 0, 0, 0, -1);
        GridGeometry g = new(60, 50, 12, new Vec3(1, 1, 1.5), new Vec3(-29.5, -24.5, 9), direction);
        var contours = new List<Contour>();
        for (int p = 0; p < 4; p++)
        {
            contours.Add(ContourTestData.Circle(new Vec3(1.3, -2.1, -3 * p), 10 + 3 * p, 90));
        }

        VoxelMask mask = ContourRasterizer.Rasterize("flipped", contours, g);

        // Planes at z = 0, −3, −6, −9 (3 mm apart) cover z in (−10.5, 1.5]; slices sit at z = 9 − 1.5 k.
        for (int k = 0; k < g.SizeZ; k++)
        {
            double z = 9 - 1.5 * k;
            int nearest = (int)Math.Floor(-z / 3 + 0.5); // a tie goes to the plane further along k (more inferior here)
            bool covered = z > -10.5 - 1e-9 && z <= 1.5 + 1e-9;
            bool[] expected = covered
                ? ContourTestData.BruteForceSlice([new Contour(contours[nearest].PointsLps.Select(q => q with { Z = z }))], g, k)
                : new bool[g.SizeX * g.SizeY];
            for (int n = 0; n < expected.Length; n++)
            {
                Assert.True(expected[n] == (mask.Voxels[k * g.SizeX * g.SizeY + n] != 0), $"slice z = {z}, voxel {n}");
            }
        }

        VoxelMask back = ContourRasterizer.Rasterize("back", ContourTracer.Trace(mask), g, 1.5);
        Assert.Equal(-1, ContourTestData.FirstDifference(mask, back));
    }

    [Fact]
    public void Rasterize_ContourNotPerpendicularToK_ThrowsClearly()
    {
        GridGeometry g = Grid(20, 20, 20, 1, 1, new Vec3(-9.5, -9.5, -9.5));
        Contour tilted = ContourTestData.Circle(Vec3.Zero, 5, 36, u: Vec3.UnitX, v: new Vec3(0, 1, 1).Normalized());
        var ex = Assert.Throws<ArgumentException>(() => ContourRasterizer.Rasterize("tilted", [ContourTestData.Square(0, 0, 0, 4), tilted], g));
        Assert.Contains("Contour 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("perpendicular", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rasterize_NoContours_EmptyMask()
    {
        GridGeometry g = Grid(4, 4, 4, 1, 1, Vec3.Zero);
        Assert.True(ContourRasterizer.Rasterize("none", [], g).IsEmpty);
    }

    [Fact]
    public void Rasterize_ContoursOutsideGrid_Ignored()
    {
        GridGeometry g = Grid(10, 10, 10, 1, 1, Vec3.Zero);
        Contour[] contours = [ContourTestData.Square(500, 500, 5, 10), ContourTestData.Square(5, 5, 1e6, 4)];
        Assert.True(ContourRasterizer.Rasterize("far", contours, g).IsEmpty);
    }

    [Fact]
    public void Rasterize_ContourLargerThanGrid_FillsWholeSlices()
    {
        GridGeometry g = Grid(10, 10, 3, 1, 1, Vec3.Zero);
        VoxelMask mask = ContourRasterizer.Rasterize("big", [ContourTestData.Square(5, 5, 1, 1000)], g);
        Assert.Equal(100, SliceCount(mask, 1));
    }

    [Fact]
    public void Rasterize_BadPlaneSpacing_Throws()
    {
        GridGeometry g = Grid(4, 4, 4, 1, 1, Vec3.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => ContourRasterizer.Rasterize("x", [ContourTestData.Square(1, 1, 1, 2)], g, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContourRasterizer.Rasterize("x", [ContourTestData.Square(1, 1, 1, 2)], g, double.NaN));
    }

    [Fact]
    public void Rasterize_512x512x200WithBodyAndOrganContours_IsFast()
    {
        // A clinical-size CT grid: body (720 points) and two organs per plane on 200 planes.
        GridGeometry g = Grid(512, 512, 200, 0.98, 2.5, new Vec3(-250, -250, -250));
        var body = new List<Contour>();
        var organ = new List<Contour>();
        for (int k = 0; k < 200; k++)
        {
            double z = -250 + 2.5 * k;
            body.Add(ContourTestData.Circle(new Vec3(0, 0, z), 220 + 10 * Math.Sin(k * 0.1), 720));
            organ.Add(ContourTestData.Circle(new Vec3(-60, 10, z), 40, 180));
            organ.Add(ContourTestData.Circle(new Vec3(60, 10, z), 40, 180));
        }

        ContourRasterizer.Rasterize("warm-up", organ, g);
        var watch = Stopwatch.StartNew();
        VoxelMask bodyMask = ContourRasterizer.Rasterize("body", body, g);
        VoxelMask organMask = ContourRasterizer.Rasterize("organs", organ, g);
        watch.Stop();

        Assert.InRange(bodyMask.Count, 140000 * 200, 175000 * 200);
        Assert.False(organMask.IsEmpty);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    private static int CountNonEmptySlices(VoxelMask mask)
    {
        int n = 0;
        for (int k = 0; k < mask.Geometry.SizeZ; k++)
        {
            n += SliceCount(mask, k) > 0 ? 1 : 0;
        }

        return n;
    }
}
