using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Tests.Control;

namespace MeTAI.Robotics.Tests.Safety;

/// <summary>The interlock rules one by one, on inputs built by hand (the loop's own wiring is in ControlCoreTests).</summary>
public class InterlockEvaluatorTests
{
    private static readonly long Now = 1_000 * Stopwatch.Frequency;
    private readonly RobotModel _robot = TestRobots.Arm6();
    private readonly ControllerOptions _options = new();
    private readonly TeleopOptions _teleop = new();
    private readonly double[] _measuredRad;
    private readonly byte[] _hardwareError;

    public InterlockEvaluatorTests()
    {
        _measuredRad = _robot.HomeRad.ToArray();
        _hardwareError = new byte[_robot.JointCount];
    }

    private static long Ms(double ms) => (long)(ms * 1e-3 * Stopwatch.Frequency);

    // Everything healthy in Ready: fresh heartbeat and servo reading, broker up, operator present, arm at home.
    private InterlockInputs Healthy(SafetyState state = SafetyState.Ready) => new()
    {
        NowTicks = Now,
        Cycle = 7,
        State = state,
        EStopDeviceTicks = Now - Ms(1),
        HeartbeatTicks = Now - Ms(1),
        PoseTicks = Now - Ms(1),
        BrokerConnected = true,
        OperatorPresent = true,
        HaveFeedback = true,
        HardwareError = _hardwareError,
        FeedbackTicks = Now - Ms(1),
        FeedbackRequestTicks = Now - Ms(2),
        GoalCycles = (-1, -1),
        MeasuredRad = _measuredRad,
    };

    private InterlockEvaluator Evaluator(GoalHistory? goals = null, Interlocks disabled = Interlocks.None) =>
        new(_robot, _options, _teleop, goals ?? new GoalHistory(_robot, _options.TrackingLagMs), disabled: disabled);

    [Fact]
    public void Evaluate_AllHealthy_RaisesNothing()
    {
        Assert.Equal(Interlocks.None, Evaluator().Evaluate(Healthy()));
    }

    [Fact]
    public void Evaluate_EStopPressedBetweenCycles_RaisesEStop()
    {
        Assert.Equal(Interlocks.EStop, Evaluator().Evaluate(Healthy() with { EStopPressLatched = true }));
        Assert.Equal(Interlocks.EStop, Evaluator().Evaluate(Healthy() with { EStopPressed = true }));
    }

    [Fact]
    public void Evaluate_EStopDeviceSilentBeyondItsWatchdog_RaisesEStopDeviceSilentAndRecordsTheLoss()
    {
        InterlockEvaluator evaluator = Evaluator();
        Assert.Equal(Interlocks.None, evaluator.Evaluate(Healthy() with { EStopDeviceTicks = Now - Ms(_options.EStopWatchdogMs - 1) }));
        long last = Now - Ms(_options.EStopWatchdogMs + 1);
        Assert.Equal(Interlocks.EStopDeviceSilent, evaluator.Evaluate(Healthy() with { EStopDeviceTicks = last }));
        Assert.Equal((last, Now, 7L), evaluator.LastEStopDeviceLoss);
        Assert.Equal(last, evaluator.InputTicks(Interlocks.EStopDeviceSilent));
        Assert.StartsWith("last e-stop device heartbeat 251.000 ms", evaluator.Detail(Interlocks.EStopDeviceSilent, Now, 7), StringComparison.Ordinal);
        Assert.Equal(InterlockReaction.EStopTorqueOff, InterlockCatalog.ReactionOf(Interlocks.EStopDeviceSilent));

        // No device yet is as silent as a dead one.
        Assert.Equal(Interlocks.EStopDeviceSilent, Evaluator().Evaluate(Healthy() with { EStopDeviceTicks = 0 }));
    }

    [Fact]
    public void Evaluate_HeartbeatOlderThanTheWatchdog_RaisesHeartbeatAndRecordsTheLoss()
    {
        InterlockEvaluator evaluator = Evaluator();
        long last = Now - Ms(_options.HeartbeatWatchdogMs + 1);
        Assert.Equal(Interlocks.HapticHeartbeat, evaluator.Evaluate(Healthy() with { HeartbeatTicks = last }));
        Assert.Equal((last, Now, 7L), evaluator.LastHeartbeatLoss);
        Assert.Equal(last, evaluator.InputTicks(Interlocks.HapticHeartbeat));
        Assert.StartsWith("last heartbeat 31.000 ms", evaluator.Detail(Interlocks.HapticHeartbeat, Now, 7), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PosesOlderThanTheWatchdogWithTheHeartbeatAlive_RaisesMasterPoseStaleAndRecordsTheLoss()
    {
        InterlockEvaluator evaluator = Evaluator();
        long last = Now - Ms(_options.PoseWatchdogMs + 2);
        Assert.Equal(Interlocks.MasterPoseStale, evaluator.Evaluate(Healthy() with { PoseTicks = last }));
        Assert.Equal((last, Now, 7L), evaluator.LastPoseLoss);
        Assert.Equal(last, evaluator.InputTicks(Interlocks.MasterPoseStale));
        Assert.StartsWith("last new master pose 32.000 ms", evaluator.Detail(Interlocks.MasterPoseStale, Now, 7), StringComparison.Ordinal);
        Assert.Equal(InterlockReaction.Hold, InterlockCatalog.ReactionOf(Interlocks.MasterPoseStale));
    }

    [Fact]
    public void Evaluate_NoPoseYet_RaisesMasterPoseStale_WithinTheWatchdogDoesNot()
    {
        Assert.Equal(Interlocks.MasterPoseStale, Evaluator().Evaluate(Healthy() with { PoseTicks = 0 }));
        Assert.Equal(Interlocks.None, Evaluator().Evaluate(Healthy() with { PoseTicks = Now - Ms(_options.PoseWatchdogMs - 1) }));
    }

    [Fact]
    public void Evaluate_BrokerDownAndNoOperator_RaiseTheirHolds()
    {
        Assert.Equal(Interlocks.BrokerConnection | Interlocks.DeadmanReleased,
            Evaluator().Evaluate(Healthy() with { BrokerConnected = false, OperatorPresent = false }));
    }

    [Fact]
    public void Evaluate_AlertBitOrHardwareErrorStatus_RaisesServoHardwareError()
    {
        Assert.Equal(Interlocks.ServoHardwareError, Evaluator().Evaluate(Healthy() with { StatusErrorOr = 0x80 }));
        _hardwareError[3] = 0x04;
        Assert.Equal(Interlocks.ServoHardwareError, Evaluator().Evaluate(Healthy()));
    }

    [Fact]
    public void Evaluate_TorqueOnWithoutReading_RaisesServoBus_TorqueOffDoesNot()
    {
        InterlockEvaluator evaluator = Evaluator();
        Assert.Equal(Interlocks.ServoBus, evaluator.Evaluate(Healthy() with { HaveFeedback = false }));
        Assert.Equal("no servo reading yet", evaluator.Detail(Interlocks.ServoBus, Now, 7));
        Assert.Equal(Interlocks.None, Evaluator().Evaluate(Healthy(SafetyState.Disabled) with { HaveFeedback = false }));
    }

    [Fact]
    public void Evaluate_ReadingOlderThanTheServoTimeout_RaisesServoBus()
    {
        InterlockEvaluator evaluator = Evaluator();
        long old = Now - Ms(_options.ServoTimeoutMs + 5);
        Assert.Equal(Interlocks.ServoBus, evaluator.Evaluate(Healthy() with { FeedbackTicks = old, FeedbackRequestTicks = old }));
        Assert.Equal(old, evaluator.InputTicks(Interlocks.ServoBus));
        Assert.Equal("last complete servo reading 45.0 ms old", evaluator.Detail(Interlocks.ServoBus, Now, 7));
    }

    [Fact]
    public void Evaluate_JointBeyondLimitPlusMargin_RaisesPositionLimit_WithinMarginDoesNot()
    {
        JointSpec elbow = _robot.Joints[2];
        _measuredRad[2] = elbow.MaxRad + _options.JointLimitMarginRad * 0.5;
        Assert.Equal(Interlocks.None, Evaluator().Evaluate(Healthy()));
        _measuredRad[2] = elbow.MaxRad + _options.JointLimitMarginRad * 1.5;
        Assert.Equal(Interlocks.JointPositionLimit, Evaluator().Evaluate(Healthy()));
    }

    [Fact]
    public void Evaluate_JointFasterThanItsLimit_RaisesVelocityLimitUntilAWindowIsSlowAgain()
    {
        InterlockEvaluator evaluator = Evaluator();
        Assert.Equal(Interlocks.None, evaluator.Evaluate(Healthy()));
        // 0.2 rad in 25 ms = 8 rad/s, far above 1.5 × 1.5 rad/s + 0.3 rad/s.
        _measuredRad[0] += 0.2;
        long later = Now + Ms(25);
        InterlockInputs fast = Healthy() with { NowTicks = later, HeartbeatTicks = later, PoseTicks = later, FeedbackTicks = later, FeedbackRequestTicks = later - Ms(1) };
        Assert.Equal(Interlocks.JointVelocityLimit, evaluator.Evaluate(fast));
        long still = later + Ms(25);
        InterlockInputs slow = Healthy() with { NowTicks = still, HeartbeatTicks = still, PoseTicks = still, FeedbackTicks = still, FeedbackRequestTicks = still - Ms(1) };
        Assert.Equal(Interlocks.None, evaluator.Evaluate(slow));
    }

    [Fact]
    public void Evaluate_ReadingFarFromEveryGoalInItsWindow_RaisesTrackingErrorWithTheJoint()
    {
        var goals = new GoalHistory(_robot, _options.TrackingLagMs);
        int[] homeCounts = new int[_robot.JointCount];
        _robot.ToCounts(_robot.HomeRad, homeCounts);
        goals.SetCurrent(homeCounts);
        for (long cycle = 1; cycle <= 5; cycle++)
        {
            goals.Record(cycle);
        }

        InterlockEvaluator evaluator = Evaluator(goals);
        Assert.Equal(Interlocks.None, evaluator.Evaluate(Healthy() with { GoalCycles = (4, 5) }));
        _measuredRad[1] += _robot.Joints[1].TrackingToleranceRad * 2;
        Assert.Equal(Interlocks.TrackingError, evaluator.Evaluate(Healthy() with { GoalCycles = (4, 5) }));
        string detail = evaluator.Detail(Interlocks.TrackingError, Now, 7);
        Assert.StartsWith("joint shoulder_pitch: ", detail, StringComparison.Ordinal);
        Assert.EndsWith(" rad from the goals of cycles 4…5 (cycle 7)", detail, StringComparison.Ordinal);
        // Without a goal in force (torque went off) nothing is compared.
        goals.ClearCurrent();
        Assert.Equal(Interlocks.None, Evaluator(goals).Evaluate(Healthy() with { GoalCycles = (4, 5) }));
    }

    [Fact]
    public void EvaluateCorridor_PushedThroughTheWall_RaisesNowAndLatchesUntilCleared()
    {
        var fixture = new CorridorFixture(ControlCoreTests.CorridorAroundHome(_robot).Transformed(_robot.PatientToRobot, "robot base m"), _teleop);
        Vec3 tool = _robot.ForwardKinematics(_robot.HomeRad).Position;
        InterlockEvaluator evaluator = Evaluator();
        Assert.Equal(Interlocks.None, evaluator.EvaluateCorridor(_teleop.HoldPenetrationM * 0.5, fixture, tool));
        Assert.Equal(Interlocks.CorridorViolation, evaluator.EvaluateCorridor(_teleop.HoldPenetrationM * 2, fixture, tool));
        Assert.Equal(Interlocks.CorridorViolation, evaluator.Evaluate(Healthy(SafetyState.Following)));
        evaluator.ClearCorridor();
        Assert.Equal(Interlocks.None, evaluator.Evaluate(Healthy(SafetyState.Following)));
    }

    [Fact]
    public void Evaluate_DisabledBits_AreNeverRaised()
    {
        InterlockEvaluator evaluator = Evaluator(disabled: Interlocks.DeadmanReleased | Interlocks.CorridorViolation);
        Assert.Equal(Interlocks.BrokerConnection,
            evaluator.Evaluate(Healthy() with { BrokerConnected = false, OperatorPresent = false }));
        var fixture = new CorridorFixture(ControlCoreTests.CorridorAroundHome(_robot).Transformed(_robot.PatientToRobot, "robot base m"), _teleop);
        Assert.Equal(Interlocks.None, evaluator.EvaluateCorridor(1.0, fixture, _robot.ForwardKinematics(_robot.HomeRad).Position));
    }
}
