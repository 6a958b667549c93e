using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Robotics.Tests.Kinematics;

public class KinematicsTests
{
    [Fact]
    public void Load_Arm6_SixJointsWithServoIds()
    {
        RobotModel arm = TestRobots.Arm6();
        Assert.Equal(6, arm.JointCount);
        Assert.Equal([1, 2, 3, 4, 5, 6], arm.Joints.Select(j => (int)j.ServoId));
        Assert.Equal(4, TestRobots.Arm4().JointCount);
    }

    [Fact]
    public void ForwardKinematics_ZeroPose_IsSumOfOffsets()
    {
        RobotModel arm = TestRobots.Arm6();
        Pose p = arm.ForwardKinematics(new double[6]);
        Assert.Equal(0.10 + 0.08 + 0.03 + 0.06, p.Position.X, 1e-12);
        Assert.Equal(0, p.Position.Y, 1e-12);
        Assert.Equal(0.10 + 0.05 + 0.20, p.Position.Z, 1e-12);
    }

    [Fact]
    public void ForwardKinematics_ShoulderYaw90_RotatesAboutZ()
    {
        RobotModel arm = TestRobots.Arm6();
        Pose p = arm.ForwardKinematics([Math.PI / 2, 0, 0, 0, 0, 0]);
        Assert.Equal(0, p.Position.X, 1e-12);
        Assert.Equal(0.27, p.Position.Y, 1e-12);
    }

    [Fact]
    public void Jacobian_MatchesFiniteDifferences()
    {
        RobotModel arm = TestRobots.Arm6();
        double[] q = [0.3, 0.4, 1.1, -0.2, 0.7, 0.1];
        double[] j = new double[36];
        arm.ForwardKinematics(q, j, new Vec3[6], new Vec3[6]);
        const double h = 1e-7;
        for (int i = 0; i < 6; i++)
        {
            double[] qp = (double[])q.Clone();
            qp[i] += h;
            Vec3 d = (arm.ForwardKinematics(qp).Position - arm.ForwardKinematics(q).Position) / h;
            Assert.Equal(d.X, j[6 * i], 1e-5);
            Assert.Equal(d.Y, j[6 * i + 1], 1e-5);
            Assert.Equal(d.Z, j[6 * i + 2], 1e-5);
        }
    }

    [Fact]
    public void Ik_RandomReachablePoses_ConvergeWithinLimits()
    {
        RobotModel arm = TestRobots.Arm6();
        var ik = new DlsIkSolver(arm, new IkOptions { MaxIterations = 200, Damping = 0.005 });
        var random = new Random(7);
        int converged = 0;
        for (int trial = 0; trial < 50; trial++)
        {
            double[] truth = new double[6];
            for (int i = 0; i < 6; i++)
            {
                JointSpec js = arm.Joints[i];
                truth[i] = arm.HomeRad[i] + (random.NextDouble() - 0.5) * 0.6;
                truth[i] = Math.Clamp(truth[i], js.MinRad, js.MaxRad);
            }

            Pose target = arm.ForwardKinematics(truth);
            double[] result = new double[6];
            IkResult r = ik.Solve(target, arm.HomeRad, result);
            Pose reached = arm.ForwardKinematics(result);
            for (int i = 0; i < 6; i++)
            {
                Assert.InRange(result[i], arm.Joints[i].MinRad, arm.Joints[i].MaxRad);
            }

            if (r.Converged && (reached.Position - target.Position).Length < 1e-4)
            {
                converged++;
            }
        }

        Assert.True(converged >= 45, $"{converged}/50 converged");
    }

    [Fact]
    public void Ik_TargetBeyondJointLimit_StaysInsideLimits()
    {
        RobotModel arm = TestRobots.Arm6();
        var ik = new DlsIkSolver(arm, new IkOptions { MaxIterations = 100 });
        Pose far = new(new Vec3(2, 0, 0), Quat.Identity);
        double[] result = new double[6];
        IkResult r = ik.Solve(far, arm.HomeRad, result);
        Assert.False(r.Converged);
        for (int i = 0; i < 6; i++)
        {
            Assert.InRange(result[i], arm.Joints[i].MinRad, arm.Joints[i].MaxRad);
        }
    }

    [Fact]
    public void ServoMapping_CentreAndQuarterTurn()
    {
        RobotModel arm = TestRobots.Arm6();
        JointSpec j = arm.Joints[0];
        Assert.Equal(2048, arm.Servo.ToCounts(0, j));
        Assert.Equal(3072, arm.Servo.ToCounts(Math.PI / 2, j));
        Assert.Equal(Math.PI / 2, arm.Servo.ToRad(3072, j), 1e-12);
    }

    [Fact]
    public void Parse_BadJointType_NamesTheField()
    {
        string json = File.ReadAllText(Path.Combine(TestRobots.RepositoryRoot(), "configs", "robots", "metai-arm4.json"))
            .Replace("\"revolute\"", "\"prismatic\"", StringComparison.Ordinal);
        var ex = Assert.Throws<FormatException>(() => RobotConfigJson.Parse(json, "arm4"));
        Assert.Contains("joints[0].type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_PatientMmToRobotMetres()
    {
        RobotModel arm = TestRobots.Arm6();
        Vec3 p = arm.PatientToRobot.Apply(new Vec3(100, 0, 0));
        Assert.Equal(0.3, p.X, 1e-12);
    }
}
