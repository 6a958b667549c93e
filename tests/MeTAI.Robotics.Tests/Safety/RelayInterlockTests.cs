using System.Diagnostics;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Tests.Safety;

/// <summary>The watchdog power relay's rules (<see cref="Interlocks.ServoPower"/>, the wired e-stop loop) on inputs built by hand.</summary>
public class RelayInterlockTests
{
    private static readonly long Now = 1_000 * Stopwatch.Frequency;
    private readonly RobotModel _robot = TestRobots.Arm6();
    private readonly ControllerOptions _options = new();
    private readonly double[] _measuredRad;
    private readonly byte[] _hardwareError;

    public RelayInterlockTests()
    {
        _measuredRad = _robot.HomeRad.ToArray();
        _hardwareError = new byte[_robot.JointCount];
    }

    private static long Ms(double ms) => (long)(ms * 1e-3 * Stopwatch.Frequency);

    private static PowerReadback PoweredRelay => new(true, true, true, 0, Now - Ms(5), Now - Ms(5), null);

    private InterlockInputs Healthy(PowerReadback relay, SafetyState state = SafetyState.Ready) => new()
    {
        NowTicks = Now,
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
        Relay = relay,
    };

    private InterlockEvaluator Evaluator() => new(_robot, _options, new TeleopOptions(), new GoalHistory(_robot, _options.TrackingLagMs));

    [Fact]
    public void Evaluate_RelayPoweredAndFresh_RaisesNothing()
    {
        Assert.Equal(Interlocks.None, Evaluator().Evaluate(Healthy(PoweredRelay)));
    }

    [Fact]
    public void Evaluate_PowerReadOffWhileTorqueOn_ServoPowerWithTripCause()
    {
        InterlockEvaluator evaluator = Evaluator();
        Assert.Equal(Interlocks.ServoPower, evaluator.Evaluate(Healthy(PoweredRelay with { PowerOn = false, TripCause = PowerRelayRegisters.TripFeedTimeout })));
        Assert.Equal("servo power read back off (power relay trip cause: feed timeout)", evaluator.Detail(Interlocks.ServoPower, Now, 7));

        // Torque off (Disabled): power off is what the controller commanded.
        Assert.Equal(Interlocks.None, evaluator.Evaluate(Healthy(PoweredRelay with { PowerOn = false }, SafetyState.Disabled)));
    }

    [Fact]
    public void Evaluate_WiredEStopLoopOpen_EStopInAnyState()
    {
        InterlockEvaluator evaluator = Evaluator();
        PowerReadback open = PoweredRelay with { PowerOn = false, EStopLoopClosed = false, TripCause = PowerRelayRegisters.TripEStopLoop };
        Assert.Equal(Interlocks.EStop, evaluator.Evaluate(Healthy(open, SafetyState.Disabled)));
        Assert.Equal("wired e-stop loop open (power relay board input)", evaluator.Detail(Interlocks.EStop, Now, 7));
        Assert.Equal(Interlocks.EStop | Interlocks.ServoPower, evaluator.Evaluate(Healthy(open)));
    }

    [Fact]
    public void Evaluate_StuckClosed_ServoPowerEvenWhenDisabled()
    {
        InterlockEvaluator evaluator = Evaluator();
        PowerReadback stuck = PoweredRelay with { StuckDetail = "power relay 100 stuck closed: servo power reads on 71 ms after the feed stopped (T_relay 50 ms)" };
        Assert.Equal(Interlocks.ServoPower, evaluator.Evaluate(Healthy(stuck, SafetyState.Disabled)));
        Assert.StartsWith("power relay 100 stuck closed", evaluator.Detail(Interlocks.ServoPower, Now, 7), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReadBackStale_ServoPowerOnlyWhileTheServosAnswer()
    {
        PowerReadback stale = PoweredRelay with { ReadTicks = Now - Ms(_options.ServoTimeoutMs + 5) };
        Assert.Equal(Interlocks.ServoPower, Evaluator().Evaluate(Healthy(stale)));

        // The whole bus silent: the servo-bus rule speaks for it.
        Assert.Equal(Interlocks.ServoBus, Evaluator().Evaluate(Healthy(stale) with { FeedbackTicks = Now - Ms(_options.ServoTimeoutMs + 5) }));
    }

    [Fact]
    public void Evaluate_NoRelayConfigured_NoRelayRules()
    {
        Assert.Equal(Interlocks.None, Evaluator().Evaluate(Healthy(default)));
    }
}
