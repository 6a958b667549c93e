using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;

namespace MeTAI.Core.Tests.Trajectories;

public class TrajectoryTests
{
    private static Trajectory ThreeSamples() => new(
    [
        new TrajectorySample(0, new Vec3(0, 0, 0), Vec3.UnitX),
        new TrajectorySample(1, new Vec3(10, 0, 0), Vec3.UnitX),
        new TrajectorySample(3, new Vec3(10, 20, 0), Vec3.UnitY),
    ]);

    [Fact]
    public void At_BetweenSamples_InterpolatesTipLinearlyAndDirectionNormalised()
    {
        Trajectory t = ThreeSamples();
        TrajectorySample s = t.At(0.25);
        Assert.Equal(new Vec3(2.5, 0, 0), s.TipLps);
        Assert.Equal(Vec3.UnitX, s.Direction);

        TrajectorySample m = t.At(2);
        Assert.Equal(10, m.TipLps.X, 12);
        Assert.Equal(10, m.TipLps.Y, 12);
        Assert.Equal(1, m.Direction.Length, 12);
        Assert.Equal(m.Direction.X, m.Direction.Y, 12);
    }

    [Fact]
    public void At_OutsideTheTimeRange_ClampsToTheEnds()
    {
        Trajectory t = ThreeSamples();
        Assert.Equal(Vec3.Zero, t.At(-5).TipLps);
        Assert.Equal(new Vec3(10, 20, 0), t.At(99).TipLps);
        Assert.Equal(-5, t.At(-5).TSeconds);
        Assert.Equal(3, t.DurationSeconds);
        Assert.Equal(30, t.PathLength, 12);
    }

    [Fact]
    public void At_ExactlyAtSamples_ReturnsThem()
    {
        Trajectory t = ThreeSamples();
        for (int n = 0; n < t.Count; n++)
        {
            Assert.Equal(t.Samples[n].TipLps, t.At(t.Samples[n].TSeconds).TipLps);
        }
    }

    [Fact]
    public void At_ManyQueries_DoNotAllocate()
    {
        Trajectory t = Trajectory.Straight(Vec3.Zero, new Vec3(0, 0, 100), 10, 1);
        double sum = t.At(0.5).TipLps.Z;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < 10_000; n++)
        {
            sum += t.At(n * 0.001).TipLps.Z;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Constructor_NonIncreasingTimes_NamesTheSample()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Trajectory(
        [
            new TrajectorySample(0, Vec3.Zero, Vec3.UnitZ),
            new TrajectorySample(1, Vec3.UnitZ, Vec3.UnitZ),
            new TrajectorySample(1, Vec3.UnitZ * 2, Vec3.UnitZ),
        ]));
        Assert.Contains("samples[2].tSeconds", ex.Message);
    }

    [Theory]
    [InlineData(double.NaN, 0, 1)]
    [InlineData(0, double.PositiveInfinity, 1)]
    [InlineData(0, 0, 0)]
    public void Constructor_NonFiniteOrZeroValues_Throw(double t, double x, double dirZ)
    {
        Assert.Throws<ArgumentException>(() => new Trajectory(
        [
            new TrajectorySample(t, new Vec3(x, 0, 0), new Vec3(0, 0, dirZ)),
            new TrajectorySample(5, Vec3.UnitZ, Vec3.UnitZ),
        ]));
    }

    [Fact]
    public void Constructor_OneSample_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Trajectory([new TrajectorySample(0, Vec3.Zero, Vec3.UnitZ)]));
    }

    [Fact]
    public void Constructor_DirectionsAreStoredNormalised()
    {
        var t = new Trajectory([new TrajectorySample(0, Vec3.Zero, new Vec3(0, 0, 5)), new TrajectorySample(1, Vec3.UnitZ, new Vec3(3, 4, 0))]);
        Assert.Equal(Vec3.UnitZ, t.Samples[0].Direction);
        Assert.Equal(new Vec3(0.6, 0.8, 0), t.Samples[1].Direction);
    }

    [Fact]
    public void Straight_ConstantSpeed_EndsAtTheEndPoint()
    {
        var start = new Vec3(-120, -80, 10);
        var end = new Vec3(-70, 0, 10);
        Trajectory t = Trajectory.Straight(start, end, speedMmPerS: 5, sampleSpacingMm: 10);
        double length = Vec3.Distance(start, end);
        Assert.Equal(length / 5, t.DurationSeconds, 9);
        Assert.Equal(end, t.Samples[^1].TipLps);
        Assert.Equal(length, t.PathLength, 9);
        Assert.True(t.Count >= length / 10 + 1);
        Assert.Equal(start + (end - start) / 2, t.At(t.DurationSeconds / 2).TipLps);
    }

    [Fact]
    public void Transformed_MmToMetres_ScalesPositionsKeepsUnitDirections()
    {
        Trajectory t = ThreeSamples();
        var registration = new Transform(Mat3.RotationZ(Math.PI / 2) * new Mat3(0.001, 0, 0, 0, 0.001, 0, 0, 0, 0.001), new Vec3(0.5, 0, 0.2));
        Trajectory robot = t.Transformed(registration, "robot base m");
        Assert.Equal("robot base m", robot.Frame);
        Assert.Equal(0.5, robot.Samples[1].TipLps.X, 12);
        Assert.Equal(0.010, robot.Samples[1].TipLps.Y, 12);
        Assert.Equal(1, robot.Samples[1].Direction.Length, 12);
        Assert.Equal(1, robot.Samples[1].Direction.Y, 12);
        Assert.Throws<InvalidOperationException>(() => TrajectoryJson.Serialize(robot));
    }
}
