using MeTAI.Core.Geometry;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Robotics.Tests.Radiotherapy;

public class BeamPoseMapperTests
{
    private static readonly Vec3 PlanIsocenterLps = new(10, 20, 30);
    private static readonly Vec3 IsocenterRobotM = new(0.3, 0, 0.2);

    private static BeamPoseMapper Mapper(Mat3? rotation = null) => new(rotation ?? Mat3.Identity, IsocenterRobotM, PlanIsocenterLps, standoffM: 0.06);

    private static BeamPose Beam(double gantryDeg, double collimatorDeg = 0, double couchDeg = 0) =>
        new(1, "B1", gantryDeg, collimatorDeg, couchDeg, PlanIsocenterLps, 100);

    private static void Near(Vec3 expected, Vec3 actual, double tolerance = 1e-12) =>
        Assert.True((expected - actual).Length <= tolerance, $"expected {expected}, got {actual}");

    [Fact]
    public void SourceDirection_Gantry0_IsAnterior()
    {
        // LPS: anterior is −y.
        Near(new Vec3(0, -1, 0), BeamPoseMapper.SourceDirectionLps(0, 0));
    }

    [Fact]
    public void SourceDirection_Gantry90_IsPatientLeft()
    {
        Near(new Vec3(1, 0, 0), BeamPoseMapper.SourceDirectionLps(90, 0));
    }

    [Fact]
    public void SourceDirection_Couch90_TurnsALateralBeamOntoTheHeadFootAxis()
    {
        Near(new Vec3(0, 0, -1), BeamPoseMapper.SourceDirectionLps(90, 90));
    }

    [Fact]
    public void PatientToRobot_PlanIsocentre_IsTheRobotIsocentre_AndMillimetresBecomeMetres()
    {
        BeamPoseMapper m = Mapper(Mat3.RotationZ(Math.PI / 2));
        Near(IsocenterRobotM, m.PatientToRobot(PlanIsocenterLps));

        // 10 mm along LPS x, turned by the registration onto robot +y.
        Near(IsocenterRobotM + new Vec3(0, 0.010, 0), m.PatientToRobot(PlanIsocenterLps + new Vec3(10, 0, 0)));
    }

    [Fact]
    public void PoseOf_AnteriorBeam_ToolAlongTheBeam_TipAtStandoffOnTheSourceSide_YTowardsTheHead()
    {
        Pose p = Mapper().PoseOf(Beam(0));
        Near(IsocenterRobotM + new Vec3(0, -0.06, 0), p.Position);
        Near(new Vec3(0, 1, 0), p.Orientation.Rotate(Vec3.UnitX), 1e-9);
        Near(new Vec3(0, 0, 1), p.Orientation.Rotate(Vec3.UnitY), 1e-9);
    }

    [Fact]
    public void PoseOf_Collimator90_RollsTheToolAboutTheBeam()
    {
        BeamPoseMapper m = Mapper();
        Pose p0 = m.PoseOf(Beam(0));
        Pose p90 = m.PoseOf(Beam(0, collimatorDeg: 90));
        Near(p0.Position, p90.Position);
        Near(p0.Orientation.Rotate(Vec3.UnitX), p90.Orientation.Rotate(Vec3.UnitX), 1e-9);
        Assert.Equal(Math.PI / 2, Quat.AngleBetween(p0.Orientation, p90.Orientation), 9);
    }

    [Fact]
    public void PoseOf_BeamAlongTheHeadAxis_StillGivesAnOrthonormalFrameAlongTheBeam()
    {
        Pose p = Mapper().PoseOf(Beam(90, couchDeg: 90));

        // Source towards the feet (LPS −z): the tool points to the head, its y falls back to anterior (LPS −y).
        Near(new Vec3(0, 0, 1), p.Orientation.Rotate(Vec3.UnitX), 1e-9);
        Near(new Vec3(0, -1, 0), p.Orientation.Rotate(Vec3.UnitY), 1e-9);
        Near(IsocenterRobotM + new Vec3(0, 0, -0.06), p.Position);
    }

    [Fact]
    public void Constructor_RejectsANonRotationAndANegativeStandoff()
    {
        Assert.Throws<ArgumentException>(() => new BeamPoseMapper(new Mat3(2, 0, 0, 0, 1, 0, 0, 0, 1), IsocenterRobotM, PlanIsocenterLps, 0.06));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeamPoseMapper(Mat3.Identity, IsocenterRobotM, PlanIsocenterLps, -0.01));
    }
}
