using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;

namespace MeTAI.Core.Tests.Contours;

public class ContourTests
{
    [Fact]
    public void Constructor_FewerThanThreePoints_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Contour([Vec3.Zero, Vec3.UnitX]));
    }

    [Fact]
    public void Constructor_NonFinitePoint_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Contour([Vec3.Zero, Vec3.UnitX, new Vec3(double.NaN, 0, 0)]));
    }

    [Fact]
    public void Constructor_CopiesPoints()
    {
        Vec3[] points = [Vec3.Zero, Vec3.UnitX, Vec3.UnitY];
        var contour = new Contour(points);
        points[0] = new Vec3(9, 9, 9);
        Assert.Equal(Vec3.Zero, contour.PointsLps[0]);
        Assert.Equal(3, contour.Count);
    }

    [Fact]
    public void AreaVector_CounterClockwiseSquareFarFromOrigin_PointsAlongNormal()
    {
        var square = new Contour([new(1000, 2000, 50), new(1010, 2000, 50), new(1010, 2010, 50), new(1000, 2010, 50)]);
        Vec3 area = square.AreaVectorMm2;
        Assert.Equal(0, area.X, 9);
        Assert.Equal(0, area.Y, 9);
        Assert.Equal(100, area.Z, 9);
        Assert.Equal(100, square.AreaMm2, 9);
    }

    [Fact]
    public void AreaVector_ClockwiseCircle_PointsAgainstNormal()
    {
        Contour circle = ContourTestData.Circle(Vec3.Zero, 10, 720, counterClockwise: false);
        Assert.True(circle.AreaVectorMm2.Z < 0);
        Assert.Equal(Math.PI * 100, circle.AreaMm2, 0.01 * Math.PI * 100);
    }
}
