using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Voxels;

public class GridSamplingTests
{
    // 3 × 2 × 2 voxels of 2 mm, value = i + 10 j + 100 k (linear, so trilinear interpolation is exact inside).
    private static readonly GridGeometry Geometry = new(3, 2, 2, new Vec3(2, 2, 2), new Vec3(-2, 0, 0));

    private static VoxelGrid<float> Linear()
    {
        var grid = new VoxelGrid<float>(Geometry);
        for (int k = 0; k < 2; k++)
        {
            for (int j = 0; j < 2; j++)
            {
                for (int i = 0; i < 3; i++)
                {
                    grid[i, j, k] = i + 10 * j + 100 * k;
                }
            }
        }

        return grid;
    }

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(2, 1, 1, 112)]
    [InlineData(0.5, 0.5, 0.5, 55.5)]
    [InlineData(1.25, 0.75, 0.1, 18.75)]
    public void TrilinearClamped_InsideTheCentres_IsExactOnALinearField(double x, double y, double z, double expected) =>
        Assert.Equal(expected, GridSampling.TrilinearClamped(Geometry, Linear().Data, x, y, z), 9);

    [Fact]
    public void TrilinearClamped_Outside_TakesTheNearestPointOfTheHull()
    {
        Assert.Equal(0, GridSampling.TrilinearClamped(Geometry, Linear().Data, -3, -1, -7), 9);
        Assert.Equal(112, GridSampling.TrilinearClamped(Geometry, Linear().Data, 9, 9, 9), 9);
        // The LPS overload: voxel (1, 0, 0) has its centre at x = 0 mm.
        Assert.Equal(1, GridSampling.TrilinearClamped(Geometry, Linear().Data, new Vec3(0, 0, 0)), 9);
    }

    [Fact]
    public void Resample_OntoAFinerGrid_InterpolatesInsideAndFillsBeyondTheMargin()
    {
        // 1 mm voxels from x = -4 mm: x = -4 lies 1 voxel outside the source centres (-2 … 2 mm), x = -3 half a voxel.
        var target = new GridGeometry(8, 1, 1, new Vec3(1, 1, 1), new Vec3(-4, 0, 0));
        float[] r = GridSampling.Resample(Linear(), target, marginVoxels: 0.5, outside: -1);
        Assert.Equal(-1f, r[0]);
        Assert.Equal(0f, r[1]);
        Assert.Equal(0.5f, r[3], 6);
        Assert.Equal(2f, r[6], 6);
        Assert.Equal(2f, r[7], 6);
    }

    [Fact]
    public void Resample_SameGrid_IsACopy()
    {
        VoxelGrid<float> grid = Linear();
        float[] r = GridSampling.Resample(grid, Geometry, marginVoxels: 0);
        Assert.Equal(grid.Data, r);
        Assert.NotSame(grid.Data, r);
    }
}
