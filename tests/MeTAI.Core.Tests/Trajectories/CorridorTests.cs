using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;

namespace MeTAI.Core.Tests.Trajectories;

public class CorridorTests
{
    // An L-shaped centreline: along +x for 100 mm, then along +y for 50 mm.
    private static Corridor LShape() => new([Vec3.Zero, new Vec3(100, 0, 0), new Vec3(100, 50, 0)], 3, Vec3.Zero, new Vec3(100, 50, 0));

    [Fact]
    public void Query_BesideFirstSegment_ClosestPointDistanceTangent()
    {
        CorridorQuery q = LShape().Query(new Vec3(40, 2, 0));
        Assert.Equal(new Vec3(40, 0, 0), q.ClosestPoint);
        Assert.Equal(2, q.Distance, 12);
        Assert.Equal(-1, q.Penetration, 12);
        Assert.True(q.IsInside);
        Assert.Equal(Vec3.UnitX, q.Tangent);
        Assert.Equal(0, q.SegmentIndex);
        Assert.Equal(40, q.ArcLength, 12);
    }

    [Fact]
    public void Query_OutsideSecondSegment_PositivePenetration()
    {
        Corridor c = LShape();
        var p = new Vec3(107, 30, 0);
        Assert.Equal(new Vec3(100, 30, 0), c.ClosestPoint(p));
        Assert.Equal(7, c.DistanceToCenterline(p), 12);
        Assert.Equal(4, c.PenetrationDepth(p), 12);
        Assert.False(c.Contains(p));
        Assert.Equal(Vec3.UnitY, c.TangentAt(p));
        Assert.Equal(130, c.Query(p).ArcLength, 12);
        Assert.Equal(150, c.LengthMm, 12);
    }

    [Fact]
    public void Query_BeyondTheEnds_RoundCaps()
    {
        Corridor c = LShape();
        Assert.Equal(5, c.DistanceToCenterline(new Vec3(-3, 4, 0)), 12);
        Assert.Equal(Vec3.Zero, c.ClosestPoint(new Vec3(-3, 4, 0)));
        Assert.True(c.Contains(new Vec3(100, 52.9, 0)));
        Assert.False(c.Contains(new Vec3(100, 53.1, 0)));
    }

    [Fact]
    public void Query_OnTheWall_IsInside()
    {
        Corridor c = LShape();
        Assert.True(c.Contains(new Vec3(50, 0, 3)));
        Assert.Equal(0, c.PenetrationDepth(new Vec3(50, 0, 3)), 12);
    }

    [Fact]
    public void Query_ManyCalls_DoNotAllocate()
    {
        Corridor c = LShape();
        double sum = c.Query(Vec3.Zero).Distance;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int n = 0; n < 10_000; n++)
        {
            CorridorQuery q = c.Query(new Vec3(n * 0.01, 1, 2));
            sum += q.Distance + q.Penetration + q.Tangent.X + (c.Contains(q.ClosestPoint) ? 1 : 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(sum > 0);
    }

    [Fact]
    public void Constructor_Invalid_NamesTheField()
    {
        Assert.Contains("points", Assert.Throws<ArgumentException>(() => new Corridor([Vec3.Zero], 1, Vec3.Zero, Vec3.Zero)).Message);
        Assert.Contains("radiusMm", Assert.Throws<ArgumentException>(() => new Corridor([Vec3.Zero, Vec3.UnitX], 0, Vec3.Zero, Vec3.UnitX)).Message);
        Assert.Contains("points[1]", Assert.Throws<ArgumentException>(() => new Corridor([Vec3.Zero, Vec3.Zero], 1, Vec3.Zero, Vec3.Zero)).Message);
        Assert.Contains("points[0]", Assert.Throws<ArgumentException>(() => new Corridor([new Vec3(double.NaN, 0, 0), Vec3.UnitX], 1, Vec3.Zero, Vec3.UnitX)).Message);
        Assert.Contains("targetLps", Assert.Throws<ArgumentException>(() => new Corridor([Vec3.Zero, Vec3.UnitX * 10], 1, Vec3.Zero, new Vec3(5, 5, 0))).Message);
        Assert.Contains("entryLps", Assert.Throws<ArgumentException>(() => new Corridor([Vec3.Zero, Vec3.UnitX * 10], 1, new Vec3(5, 5, 0), Vec3.Zero)).Message);
    }

    [Fact]
    public void Transformed_RigidTimesMmToM_ScalesRadiusAndMapsQueries()
    {
        Corridor c = LShape();
        Mat3 rotation = Mat3.Rotation(new Vec3(1, 2, 3), 0.7);
        var mmToRobotM = new Transform(rotation * new Mat3(0.001, 0, 0, 0, 0.001, 0, 0, 0, 0.001), new Vec3(0.4, -0.1, 0.3));
        Corridor robot = c.Transformed(mmToRobotM, "robot base m");

        Assert.Equal(0.003, robot.RadiusMm, 12);
        Assert.Equal(0.150, robot.LengthMm, 12);
        Assert.False(robot.IsPatientLps);
        var probe = new Vec3(107, 30, 0);
        Assert.Equal(c.PenetrationDepth(probe) / 1000, robot.PenetrationDepth(mmToRobotM.Apply(probe)), 12);
        Vec3 tangent = robot.TangentAt(mmToRobotM.Apply(probe));
        Assert.Equal(0, (tangent - rotation * Vec3.UnitY).Length, 9);
        Assert.Throws<InvalidOperationException>(() => CorridorJson.Serialize(robot));
    }

    [Fact]
    public void Transformed_ShearOrMirror_Throws()
    {
        Corridor c = LShape();
        Assert.Throws<ArgumentException>(() => c.Transformed(new Transform(new Mat3(1, 0.2, 0, 0, 1, 0, 0, 0, 1), Vec3.Zero), "x"));
        Assert.Throws<ArgumentException>(() => c.Transformed(new Transform(new Mat3(-1, 0, 0, 0, 1, 0, 0, 0, 1), Vec3.Zero), "x"));
        Assert.Throws<ArgumentException>(() => c.Transformed(new Transform(new Mat3(1, 0, 0, 0, 2, 0, 0, 0, 1), Vec3.Zero), "x"));
    }
}
