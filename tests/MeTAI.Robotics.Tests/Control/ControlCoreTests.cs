using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Tests.Control;

public partial class ControlCoreTests
{
    private sealed class Harness
    {
        public Harness(bool withCorridor = false)
        {
            Robot = TestRobots.Arm6();
            int[] start = new int[Robot.JointCount];
            Robot.ToCounts(Robot.HomeRad, start);
            Servos = new FakeServos(start);
            Inputs = new ControllerInputs { BrokerConnected = true };
            Outputs = new ControllerOutputs(Robot.JointCount);
            Core = new ControlCore(Robot, Options, new TeleopOptions(), Inputs, Outputs, Servos.Feedback, Servos, Servos,
                withCorridor ? CorridorAroundHome(Robot) : null);
            Pose slave = Robot.ForwardKinematics(Robot.HomeRad);
            MasterHome = new Pose(Vec3.Zero, slave.Orientation);
        }

        public ControllerOptions Options { get; } = new();

        public RobotModel Robot { get; }

        public FakeServos Servos { get; }

        public ControllerInputs Inputs { get; }

        public ControllerOutputs Outputs { get; }

        public ControlCore Core { get; }

        public Pose MasterHome { get; }

        public long Cycle { get; private set; }

        public long Start { get; } = Stopwatch.GetTimestamp();

        public long Sequence { get; private set; }

        /// <summary>The e-stop device heartbeats (its released state with a new sequence number) every step while true.</summary>
        public bool EStopDeviceOn { get; set; } = true;

        public long EStopSequence { get; private set; }

        public void Step(Pose master, bool clutch = false, bool present = true, bool pose = true, long? sequence = null)
        {
            // Simulated time: one period per step, so speeds measured by the core are the commanded ones.
            long now = Start + (long)(Cycle * Options.PeriodS * Stopwatch.Frequency);
            Inputs.Heartbeat(now);
            if (EStopDeviceOn)
            {
                Inputs.EStopDevice(false, ++EStopSequence, now);
            }

            if (pose)
            {
                Inputs.PublishMaster(new MasterSample(master, clutch, present, sequence ?? ++Sequence, now), now);
            }

            Servos.Publish(now);
            Core.Step(now, Cycle++);
        }

        public void StepUntil(Func<bool> condition, Pose master, int max = 5000)
        {
            for (int i = 0; i < max && !condition(); i++)
            {
                Step(master);
            }

            Assert.True(condition(), $"state {Core.Supervisor.State}, interlocks {Core.LastInterlocks}");
        }

        public void ToFollowing()
        {
            Step(MasterHome);
            Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Enable });
            StepUntil(() => Core.Supervisor.State == SafetyState.Enabled, MasterHome);
            Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Home });
            StepUntil(() => Core.Supervisor.State == SafetyState.Ready, MasterHome);
            Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.StartTeleop });
            StepUntil(() => Core.Supervisor.State == SafetyState.Following, MasterHome);
        }
    }

    internal static MeTAI.Core.Trajectories.Corridor CorridorAroundHome(RobotModel robot, double radiusMm = 5)
    {
        Pose home = robot.ForwardKinematics(robot.HomeRad);
        Vec3 axis = home.Orientation.Rotate(Vec3.UnitX);
        Transform back = robot.PatientToRobot.Inverse();
        Vec3 a = back.Apply(home.Position - axis * 0.02), tip = back.Apply(home.Position), b = back.Apply(home.Position + axis * 0.06);
        return new MeTAI.Core.Trajectories.Corridor([a, b], radiusMm, tip, b);
    }

    [Fact]
    public void Step_Following_AllocatesNothingOverManySteps()
    {
        var h = new Harness(withCorridor: true);
        h.ToFollowing();
        Pose master = h.MasterHome;

        // Warm up (JIT, tiered compilation) with motion inside the corridor, then measure.
        for (int i = 0; i < 20_000; i++)
        {
            h.Step(master with { Position = new Vec3(0.01 * Math.Sin(i * 0.002), 0.01 * Math.Cos(i * 0.002) - 0.01, 0) });
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20_000; i++)
        {
            h.Step(master with { Position = new Vec3(0.01 * Math.Sin(i * 0.002), 0.01 * Math.Cos(i * 0.002) - 0.01, 0) });
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(SafetyState.Following, h.Core.Supervisor.State);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Following_MasterMoves_ToolMovesScaledByPointTwo()
    {
        var h = new Harness();
        h.ToFollowing();
        Vec3 start = h.Robot.ForwardKinematics(h.Core.CommandRad).Position;
        Pose moved = h.MasterHome with { Position = new Vec3(0.02, 0, 0) };
        for (int i = 0; i < 3000; i++)
        {
            h.Step(moved);
        }

        Vec3 end = h.Robot.ForwardKinematics(h.Core.CommandRad).Position;
        Assert.Equal(0.004, end.X - start.X, 0.0003);
        Assert.Equal(0, end.Y - start.Y, 0.0003);
    }

    [Fact]
    public void Clutch_MasterReindexed_NoJumpAtRelease()
    {
        var h = new Harness();
        h.ToFollowing();
        h.Step(h.MasterHome, clutch: true);
        Assert.Equal(SafetyState.Clutched, h.Core.Supervisor.State);
        Vec3 held = h.Robot.ForwardKinematics(h.Core.CommandRad).Position;

        // Move the master 10 cm while clutched: the slave holds.
        Pose away = h.MasterHome with { Position = new Vec3(0.1, 0, 0) };
        for (int i = 0; i < 200; i++)
        {
            h.Step(away, clutch: true);
        }

        Assert.Equal(0, (h.Robot.ForwardKinematics(h.Core.CommandRad).Position - held).Length, 1e-4);
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Following, away);
        for (int i = 0; i < 200; i++)
        {
            h.Step(away);
        }

        // Re-indexed: releasing the clutch far from the old anchor does not move the tool.
        Assert.Equal(0, (h.Robot.ForwardKinematics(h.Core.CommandRad).Position - held).Length, 5e-4);
    }

    [Fact]
    public void Aligning_OrientationOffBy10Degrees_DoesNotFollow()
    {
        var h = new Harness();
        h.Step(h.MasterHome);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Enable });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Enabled, h.MasterHome);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Home });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Ready, h.MasterHome);
        Pose tilted = h.MasterHome with { Orientation = (Quat.FromAxisAngle(Vec3.UnitZ, MeTAI.Core.Units.DegToRad(10)) * h.MasterHome.Orientation).Normalized() };
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.StartTeleop });
        for (int i = 0; i < 500; i++)
        {
            h.Step(tilted);
        }

        Assert.Equal(SafetyState.Aligning, h.Core.Supervisor.State);
        Pose nearly = h.MasterHome with { Orientation = (Quat.FromAxisAngle(Vec3.UnitZ, MeTAI.Core.Units.DegToRad(3)) * h.MasterHome.Orientation).Normalized() };
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Following, nearly);
    }

    [Fact]
    public void DeadmanReleased_WhileFollowing_HoldsAndStopsMotion()
    {
        var h = new Harness();
        h.ToFollowing();
        h.Step(h.MasterHome, present: false);
        h.Step(h.MasterHome, present: false);
        Assert.Equal(SafetyState.Paused, h.Core.Supervisor.State);
        long motion = h.Servos.MotionWrites;
        for (int i = 0; i < 100; i++)
        {
            h.Step(h.MasterHome with { Position = new Vec3(0.05, 0, 0) }, present: false);
        }

        Assert.Equal(motion, h.Servos.MotionWrites);
    }

    [Fact]
    public void PosesStopWithTheHeartbeatAlive_WhileFollowing_HoldsWithinThePoseWatchdogPlusTwoCycles()
    {
        var h = new Harness();
        h.ToFollowing();
        long lastPoseCycle = h.Cycle - 1;
        for (int i = 0; i < 60 && h.Core.Supervisor.State == SafetyState.Following; i++)
        {
            h.Step(h.MasterHome, pose: false);
        }

        Assert.Equal(SafetyState.Paused, h.Core.Supervisor.State);
        Assert.True((h.Core.LastStopTransition.Interlocks & Interlocks.MasterPoseStale) != 0, h.Core.LastStopTransition.ToString());
        Assert.True(h.Core.LastStopTransition.Cycle - lastPoseCycle <= h.Options.PoseWatchdogMs + 2, $"paused {h.Core.LastStopTransition.Cycle - lastPoseCycle} cycles after the last pose");
    }

    [Fact]
    public void RepeatedPoseSequence_WithTheHeartbeatAlive_IsStaleAndHolds()
    {
        // A master (or a replaying broker) that repeats its last pose does not keep the arm following.
        var h = new Harness();
        h.ToFollowing();
        long frozen = h.Sequence;
        for (int i = 0; i < 60 && h.Core.Supervisor.State == SafetyState.Following; i++)
        {
            h.Step(h.MasterHome, sequence: frozen);
        }

        Assert.Equal(SafetyState.Paused, h.Core.Supervisor.State);
        Assert.True(h.Inputs.PosesRejected > 0);
    }

    [Fact]
    public void CorridorExit_RestoringForceThenHold()
    {
        var h = new Harness(withCorridor: true);
        h.ToFollowing();

        // Push sideways (y): 5 mm radius at the tool = 25 mm at the master; go slowly beyond.
        bool forceSeen = false;
        var cmd = new double[6];
        var meas = new double[6];
        for (int i = 0; i < 6000 && h.Core.Supervisor.State == SafetyState.Following; i++)
        {
            double y = Math.Min(0.06, i * 0.00002);
            h.Step(h.MasterHome with { Position = new Vec3(0, y, 0) });
            ControllerSnapshot s = h.Outputs.Read(cmd, meas);
            if (s.FixtureActive && s.ForceMasterN.Y < -0.1)
            {
                forceSeen = true;
            }
        }

        Assert.True(forceSeen, "a restoring force towards the centreline (−y at the master) before the hold");
        Assert.Equal(SafetyState.Paused, h.Core.Supervisor.State);
        Assert.True(h.Core.LastStopTransition.State == SafetyState.Paused);
    }

    [Fact]
    public void TrackingError_StuckJoint_FaultAndTorqueOff()
    {
        var h = new Harness();
        h.ToFollowing();
        h.Servos.Stuck = true;
        Pose far = h.MasterHome with { Position = new Vec3(0, 0.2, 0) };
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Fault, far, 20_000);
        Assert.True(h.Servos.TorqueOffs >= 1);
    }

    [Fact]
    public void EStop_PressedAndReleasedBetweenTwoCycles_StillLatchesEStopWithTorqueOff()
    {
        // A malformed e-stop message (read as pressed) followed within the same millisecond by the button's periodic
        // "released": the loop never sees the pressed level, only the latched press — and must stop on it.
        var h = new Harness();
        h.ToFollowing();
        int before = h.Servos.TorqueOffs;
        h.Inputs.SetEStop(true);
        h.Inputs.SetEStop(false);
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
        Assert.True(h.Servos.TorqueOffs > before);

        // The latch is consumed: one cycle later the interlock is clear, and an acknowledged reset leaves EStop.
        h.Step(h.MasterHome);
        Assert.Equal(Interlocks.None, h.Core.LastInterlocks & Interlocks.EStop);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = true });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Disabled, h.MasterHome);
    }

    [Fact]
    public void Latched_RepeatsTorqueOffFromTheLoopEvery20Ms_NeverInDisabled()
    {
        // The IO thread's reads may wait out reply timeouts of a silent servo for hundreds of ms; the loop's own repeat
        // must not depend on it. 1 kHz simulated: 200 cycles in Fault ⇒ the first write plus one every 20 ms.
        var h = new Harness();
        h.ToFollowing();
        h.Servos.Stuck = true;
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Fault, h.MasterHome with { Position = new Vec3(0, 0.2, 0) }, 20_000);
        int atFault = h.Servos.TorqueOffs;
        for (int i = 0; i < 200; i++)
        {
            h.Step(h.MasterHome);
        }

        Assert.Equal(SafetyState.Fault, h.Core.Supervisor.State);
        Assert.InRange(h.Servos.TorqueOffs - atFault, 9, 11);

        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = true });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Disabled, h.MasterHome);
        int atDisabled = h.Servos.TorqueOffs;
        for (int i = 0; i < 200; i++)
        {
            h.Step(h.MasterHome);
        }

        Assert.Equal(atDisabled, h.Servos.TorqueOffs);
    }

    [Fact]
    public void MoveJoints_FromReady_ReachesTargetWithinLimitsThenReady()
    {
        var h = new Harness();
        h.ToFollowing();
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.StopTeleop });
        h.StepUntil(() => h.Core.Supervisor.State == SafetyState.Ready, h.MasterHome);
        double[] target = [0.3, 0.2, 1.0, 0.1, 0.5, -0.2];
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.MoveJoints, JointRad = target });
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.ExecutingTrajectory, h.Core.Supervisor.State);
        double[] previous = h.Core.CommandRad.ToArray();
        double maxStep = 0;
        for (int i = 0; i < 5000 && h.Core.Supervisor.State == SafetyState.ExecutingTrajectory; i++)
        {
            h.Step(h.MasterHome);
            for (int j = 0; j < 6; j++)
            {
                maxStep = Math.Max(maxStep, Math.Abs(h.Core.CommandRad[j] - previous[j]));
            }

            previous = h.Core.CommandRad.ToArray();
        }

        Assert.Equal(SafetyState.Ready, h.Core.Supervisor.State);
        for (int j = 0; j < 6; j++)
        {
            Assert.Equal(target[j], h.Core.CommandRad[j], 1e-3);
        }

        // Never faster than the fastest joint limit (2 rad/s → 2 mrad per 1 ms cycle).
        Assert.True(maxStep <= 0.002 + 1e-9, $"max step {maxStep}");
    }

    [Fact]
    public void StopTeleop_HoldsLastCommandedGoal_InterlockHoldsMeasured()
    {
        var h = new Harness();
        h.ToFollowing();

        // The servos lag (frozen here) while the command moves a little: commanded and measured differ.
        h.Servos.Stuck = true;
        Pose moved = h.MasterHome with { Position = new Vec3(0.01, 0, 0) };
        for (int i = 0; i < 300; i++)
        {
            h.Step(moved);
        }

        int[] commanded = new int[6];
        h.Robot.ToCounts(h.Core.CommandRad, commanded);
        int[] measured = new int[6];
        h.Robot.ToCounts(h.Core.MeasuredRad, measured);
        Assert.NotEqual(commanded, measured);

        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.StopTeleop });
        h.Step(moved);
        Assert.Equal(SafetyState.Ready, h.Core.Supervisor.State);
        Assert.Equal(commanded, h.Core.Gate.HoldCounts.ToArray());

        // An interlock hold stops at the measured position instead.
        var h2 = new Harness();
        h2.ToFollowing();
        h2.Servos.Stuck = true;
        for (int i = 0; i < 300; i++)
        {
            h2.Step(moved);
        }

        int[] measured2 = new int[6];
        h2.Robot.ToCounts(h2.Core.MeasuredRad, measured2);
        h2.Step(moved, present: false);
        Assert.Equal(SafetyState.Paused, h2.Core.Supervisor.State);
        Assert.Equal(measured2, h2.Core.Gate.HoldCounts.ToArray());
    }

    [Fact]
    public void JointRunsAway_FasterThanItsLimit_VelocityFault()
    {
        var h = new Harness();
        h.ToFollowing();
        int start = h.Robot.Servo.ToCounts(h.Core.MeasuredRad[0], h.Robot.Joints[0]);
        for (int i = 1; i <= 40 && h.Core.Supervisor.State == SafetyState.Following; i++)
        {
            // 5 rad/s, well above the 1.5 rad/s limit (and within the tracking tolerance at first).
            h.Servos.Teleport(0, start + (int)(i * 0.005 * h.Robot.Servo.CountsPerRad));
            h.Step(h.MasterHome);
        }

        Assert.Equal(SafetyState.Fault, h.Core.Supervisor.State);
        Assert.True(h.Core.LastStopTransition.Interlocks.HasFlag(Interlocks.JointVelocityLimit), h.Core.LastStopTransition.Interlocks.ToString());
    }

    [Fact]
    public void JointBeyondItsLimit_PositionFault()
    {
        var h = new Harness();
        h.ToFollowing();
        h.Servos.Teleport(2, h.Robot.Servo.ToCounts(h.Robot.Joints[2].MaxRad + 0.1, h.Robot.Joints[2]));
        h.Step(h.MasterHome);
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.Fault, h.Core.Supervisor.State);
        Assert.True(h.Core.LastStopTransition.Interlocks.HasFlag(Interlocks.JointPositionLimit));
    }

    [Fact]
    public void EStop_Following_TorqueOffInTheSameCycle()
    {
        var h = new Harness();
        h.ToFollowing();
        int before = h.Servos.TorqueOffs;
        h.Inputs.SetEStop(true);
        long cycle = h.Cycle;
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
        Assert.Equal(before + 1, h.Servos.TorqueOffs);
        Assert.Equal(cycle, h.Core.LastStopTransition.Cycle);

        // Reset needs acknowledgement and release.
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = true });
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
        h.Inputs.SetEStop(false);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = false });
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.EStop, h.Core.Supervisor.State);
        h.Inputs.Enqueue(new ControllerCommand { Kind = ControllerCommandKind.Reset, Acknowledge = true });
        h.Step(h.MasterHome);
        Assert.Equal(SafetyState.Disabled, h.Core.Supervisor.State);
    }
}
