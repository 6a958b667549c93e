using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// Every interlock rule of the control loop, in one place. Each cycle the loop gathers <see cref="InterlockInputs"/>
/// and calls <see cref="Evaluate"/>, which returns the live <see cref="Interlocks"/> bits that the
/// <see cref="SafetySupervisor"/> reacts to (<see cref="InterlockCatalog"/> gives each bit's reaction) and the
/// <see cref="ServoCommandGate"/> enforces. The corridor rule is judged where the teleoperation target is known
/// (<see cref="EvaluateCorridor"/>, same cycle) and latched into the next evaluation. The rules and their settings:
/// <list type="bullet">
/// <item><see cref="Interlocks.EStop"/>: the input is pressed, or was pressed since the last cycle.</item>
/// <item><see cref="Interlocks.EStopDeviceSilent"/>: no e-stop device heartbeat yet, or none for <see cref="ControllerOptions.EStopWatchdogMs"/>.</item>
/// <item><see cref="Interlocks.HapticHeartbeat"/>: no heartbeat yet, or none for <see cref="ControllerOptions.HeartbeatWatchdogMs"/>.</item>
/// <item><see cref="Interlocks.MasterPoseStale"/>: no master pose yet, or no pose with a newer sequence number for
/// <see cref="ControllerOptions.PoseWatchdogMs"/> (independent of the heartbeat).</item>
/// <item><see cref="Interlocks.BrokerConnection"/>: the MQTT connection is down.</item>
/// <item><see cref="Interlocks.DeadmanReleased"/>: no master sample, or its operator-present bit is clear.</item>
/// <item><see cref="Interlocks.ServoHardwareError"/>: a reply's alert bit, or a Hardware Error Status ≠ 0.</item>
/// <item>While torque is on: <see cref="Interlocks.ServoBus"/> (no reading, one older than
/// <see cref="ControllerOptions.ServoTimeoutMs"/>, or a tripped bus watchdog), <see cref="Interlocks.JointPositionLimit"/>
/// (outside the limits by <see cref="ControllerOptions.JointLimitMarginRad"/>), <see cref="Interlocks.JointVelocityLimit"/>
/// (speed over ≥ <see cref="ControllerOptions.VelocityWindowMs"/> above 1.5 × limit + <see cref="ControllerOptions.VelocityMarginRadS"/>),
/// <see cref="Interlocks.TrackingError"/> (every goal that may have driven the servo further than its tolerance, <see cref="GoalHistory"/>).</item>
/// <item><see cref="Interlocks.CorridorViolation"/>: the commanded or measured tool deeper beyond the corridor wall than
/// <see cref="TeleopOptions.HoldPenetrationM"/> / <see cref="TeleopOptions.MeasuredHoldPenetrationM"/>.</item>
/// <item>With a power relay (<see cref="InterlockInputs.Relay"/>): <see cref="Interlocks.EStop"/> when its wired e-stop loop
/// reads open; <see cref="Interlocks.ServoPower"/> when power reads off or the read-back is older than the servo timeout
/// while torque is on, or the relay reported stuck closed (any state).</item>
/// <item><see cref="Interlocks.BeamOn"/> (with a beam gate): the linac's status is stale, says beam on, or has not acted
/// on the last permit withdrawal.</item>
/// </list>
/// Bits disabled by test-only switches are never raised. Allocation-free; owned by the loop thread.
/// </summary>
/// <param name="model">The robot (joint limits, speeds, tracking tolerances).</param>
/// <param name="options">Watchdog, timeout, margin and window settings.</param>
/// <param name="teleop">The corridor hold depths.</param>
/// <param name="goals">The goals the tracking rule compares readings with.</param>
/// <param name="beamGate">Enables <see cref="Interlocks.BeamOn"/> (its linac staleness bound).</param>
/// <param name="disabled">Bits never raised (HIL negative tests only).</param>
public sealed class InterlockEvaluator(RobotModel model, ControllerOptions options, TeleopOptions teleop, GoalHistory goals,
    BeamGate? beamGate = null, Interlocks disabled = Interlocks.None)
{
    private readonly long _watchdogTicks = Ticks(options.HeartbeatWatchdogMs);
    private readonly long _poseWatchdogTicks = Ticks(options.PoseWatchdogMs);
    private readonly long _estopWatchdogTicks = Ticks(options.EStopWatchdogMs);
    private readonly long _servoTimeoutTicks = Ticks(options.ServoTimeoutMs);
    private readonly long _velocityWindowTicks = Ticks(options.VelocityWindowMs);
    private readonly double[] _qVelRef = new double[model.JointCount];
    private long _velRefTicks;
    private long _velRefRequestTicks;
    private bool _velocityFault;
    private bool _corridorViolation;
    private long _feedbackAgeTicks;
    private long _feedbackTicks;
    private bool _watchdogTripped;
    private int _trackingJoint;
    private double _trackingErrorRad;
    private (long From, long To) _trackingWindow;
    private PowerReadback _relay;

    /// <summary>Heartbeat ticks that were last when the heartbeat interlock was raised, with the cycle's time and number.</summary>
    public (long HeartbeatTicks, long DetectedTicks, long DetectedCycle) LastHeartbeatLoss { get; private set; }

    /// <summary>E-stop device heartbeat ticks that were last when its watchdog was raised, with the cycle's time and number.</summary>
    public (long DeviceTicks, long DetectedTicks, long DetectedCycle) LastEStopDeviceLoss { get; private set; }

    /// <summary>Pose arrival ticks that were last when the pose-staleness interlock was raised, with the cycle's time and number.</summary>
    public (long PoseTicks, long DetectedTicks, long DetectedCycle) LastPoseLoss { get; private set; }

    /// <summary>Evaluates every rule for this cycle; returns the live bits (disabled ones masked out).</summary>
    public Interlocks Evaluate(in InterlockInputs inputs)
    {
        Interlocks live = Interlocks.None;
        // The latch catches a press released again before this cycle (a pulse between two cycles must still stop the arm).
        if (inputs.EStopPressLatched | inputs.EStopPressed)
        {
            live |= Interlocks.EStop;
        }

        long device = inputs.EStopDeviceTicks;
        if (device == 0 || inputs.NowTicks - device > _estopWatchdogTicks)
        {
            live |= Interlocks.EStopDeviceSilent;
            if ((inputs.Active & Interlocks.EStopDeviceSilent) == 0)
            {
                LastEStopDeviceLoss = (device, inputs.NowTicks, inputs.Cycle);
            }
        }

        long heartbeat = inputs.HeartbeatTicks;
        if (heartbeat == 0 || inputs.NowTicks - heartbeat > _watchdogTicks)
        {
            live |= Interlocks.HapticHeartbeat;
            if ((inputs.Active & Interlocks.HapticHeartbeat) == 0)
            {
                LastHeartbeatLoss = (heartbeat, inputs.NowTicks, inputs.Cycle);
            }
        }

        long pose = inputs.PoseTicks;
        if (pose == 0 || inputs.NowTicks - pose > _poseWatchdogTicks)
        {
            live |= Interlocks.MasterPoseStale;
            if ((inputs.Active & Interlocks.MasterPoseStale) == 0)
            {
                LastPoseLoss = (pose, inputs.NowTicks, inputs.Cycle);
            }
        }

        if (!inputs.BrokerConnected)
        {
            live |= Interlocks.BrokerConnection;
        }

        if (!inputs.OperatorPresent)
        {
            live |= Interlocks.DeadmanReleased;
        }

        if (inputs.HaveFeedback && ((inputs.StatusErrorOr & XmControlTable.StatusAlertBit) != 0 || AnyHardwareError(inputs.HardwareError)))
        {
            live |= Interlocks.ServoHardwareError;
        }

        live |= EvaluateServos(inputs) | EvaluateRelay(inputs);
        if (_corridorViolation)
        {
            live |= Interlocks.CorridorViolation;
        }

        if (beamGate is not null)
        {
            LinacReading linac = inputs.Linac;
            if (beamGate.IsLinacStale(linac, inputs.NowTicks) || linac.On || linac.GateSequence < inputs.PermitWithdrawnSequence)
            {
                // The arm never moves under beam: motion waits for the linac to confirm beam off after the last withdrawal.
                live |= Interlocks.BeamOn;
            }
        }

        return live & ~disabled;
    }

    /// <summary>
    /// The corridor rule, judged by the teleoperation stepper in the cycle it computes the target: the depth the master
    /// asks the tool to be beyond the wall (before speed limiting and the fixture's projection: pushing on through the
    /// wall holds the arm), else the measured tool's depth. Returns <see cref="Interlocks.CorridorViolation"/> for the
    /// gate this cycle and latches it for the next <see cref="Evaluate"/> (the supervisor pauses then).
    /// <paramref name="measuredToolM"/>: the tool position of the measured joints (robot base frame, m).
    /// </summary>
    public Interlocks EvaluateCorridor(double commandedPenetrationM, CorridorFixture fixture, Vec3 measuredToolM)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        if (commandedPenetrationM > teleop.HoldPenetrationM
            || fixture.Penetration(measuredToolM) > teleop.MeasuredHoldPenetrationM)
        {
            if ((disabled & Interlocks.CorridorViolation) == 0)
            {
                _corridorViolation = true;
                return Interlocks.CorridorViolation;
            }
        }

        return Interlocks.None;
    }

    /// <summary>Clears the latched corridor violation (a new teleoperation target is judged, or teleoperation is not following).</summary>
    public void ClearCorridor() => _corridorViolation = false;

    /// <summary>True when the last evaluation found the power relay board's wired e-stop loop open.</summary>
    public bool WiredEStopOpen => _relay.Configured && _relay.ReadTicks != 0 && !_relay.EStopLoopClosed;

    /// <summary>When the input behind <paramref name="interlock"/> was seen (heartbeat, servo reading; 0: not tracked here).</summary>
    public long InputTicks(Interlocks interlock) => interlock switch
    {
        Interlocks.HapticHeartbeat => LastHeartbeatLoss.HeartbeatTicks,
        Interlocks.ServoBus => _feedbackTicks,
        Interlocks.MasterPoseStale => LastPoseLoss.PoseTicks,
        Interlocks.EStopDeviceSilent => LastEStopDeviceLoss.DeviceTicks,
        // Welded contacts show once the feed has stopped: the input behind the finding is the relay's last feed.
        Interlocks.ServoPower => _relay.StuckDetail is null ? 0L : _relay.LastFeedTicks,
        _ => 0L,
    };

    /// <summary>The readable finding behind a raised <paramref name="interlock"/> (audit); empty when the bit says it all.</summary>
    public string Detail(Interlocks interlock, long nowTicks, long cycle) => interlock switch
    {
        Interlocks.HapticHeartbeat => string.Create(CultureInfo.InvariantCulture,
            $"last heartbeat {(nowTicks - LastHeartbeatLoss.HeartbeatTicks) * 1e3 / Stopwatch.Frequency:F3} ms before this cycle"),
        Interlocks.MasterPoseStale => LastPoseLoss.PoseTicks == 0 ? "no master pose yet" : string.Create(CultureInfo.InvariantCulture,
            $"last new master pose {(nowTicks - LastPoseLoss.PoseTicks) * 1e3 / Stopwatch.Frequency:F3} ms before this cycle"),
        Interlocks.EStopDeviceSilent => LastEStopDeviceLoss.DeviceTicks == 0 ? "no e-stop device heartbeat yet" : string.Create(CultureInfo.InvariantCulture,
            $"last e-stop device heartbeat {(nowTicks - LastEStopDeviceLoss.DeviceTicks) * 1e3 / Stopwatch.Frequency:F3} ms before this cycle"),
        Interlocks.ServoBus => _watchdogTripped ? "a servo's bus watchdog tripped"
            : _feedbackAgeTicks == long.MaxValue ? "no servo reading yet"
            : string.Create(CultureInfo.InvariantCulture, $"last complete servo reading {_feedbackAgeTicks * 1e3 / Stopwatch.Frequency:F1} ms old"),
        Interlocks.EStop => _relay.Configured && _relay.ReadTicks != 0 && !_relay.EStopLoopClosed ? "wired e-stop loop open (power relay board input)" : "",
        Interlocks.ServoPower => _relay.StuckDetail ?? (!_relay.PowerOn
            ? $"servo power read back off (power relay trip cause: {PowerRelayRegisters.TripCauseText(_relay.TripCause)})"
            : string.Create(CultureInfo.InvariantCulture, $"power relay read-back {(nowTicks - _relay.ReadTicks) * 1e3 / Stopwatch.Frequency:F1} ms old")),
        Interlocks.TrackingError => string.Create(CultureInfo.InvariantCulture,
            $"joint {model.Joints[_trackingJoint].Name}: {_trackingErrorRad:F4} rad from the goals of cycles {_trackingWindow.From}…{_trackingWindow.To} (cycle {cycle})"),
        _ => "",
    };

    // The rules that only hold while torque is on: a live bus, and joints within limits, speeds and tracking.
    private Interlocks EvaluateServos(in InterlockInputs inputs)
    {
        if (!SafetySupervisor.IsTorqueOnState(inputs.State))
        {
            _velRefTicks = 0;
            _velocityFault = false;
            return Interlocks.None;
        }

        Interlocks live = Interlocks.None;
        long now = inputs.NowTicks;
        _feedbackAgeTicks = inputs.HaveFeedback ? now - inputs.FeedbackTicks : long.MaxValue;
        _feedbackTicks = inputs.HaveFeedback ? inputs.FeedbackTicks : 0;
        _watchdogTripped = inputs.WatchdogTripped;
        if (!inputs.HaveFeedback || now - inputs.FeedbackTicks > _servoTimeoutTicks || inputs.WatchdogTripped)
        {
            live |= Interlocks.ServoBus;
        }

        if (inputs.HaveFeedback)
        {
            live |= CheckJoints(inputs);
        }

        return live;
    }

    // The watchdog power relay (when configured): its wired e-stop loop, power read back while torque is on, welded contacts.
    private Interlocks EvaluateRelay(in InterlockInputs inputs)
    {
        PowerReadback relay = inputs.Relay;
        if (!relay.Configured)
        {
            return Interlocks.None;
        }

        _relay = relay;
        Interlocks live = Interlocks.None;
        if (relay.ReadTicks != 0 && !relay.EStopLoopClosed)
        {
            live |= Interlocks.EStop;
        }

        // A stale read-back counts only while the servos still answer — a servo reading more than half the servo timeout
        // newer than the relay's last (it is read every 10 ms): a silent bus is the ServoBus rule's, with its better reason.
        bool stale = inputs.NowTicks - relay.ReadTicks > _servoTimeoutTicks
            && inputs.HaveFeedback && inputs.FeedbackTicks - relay.ReadTicks > _servoTimeoutTicks / 2;
        if (relay.StuckDetail is not null || (SafetySupervisor.IsTorqueOnState(inputs.State) && (!relay.PowerOn || stale)))
        {
            live |= Interlocks.ServoPower;
        }

        return live;
    }

    private static long Ticks(double ms) => (long)(ms * 1e-3 * Stopwatch.Frequency);

    private static bool AnyHardwareError(ReadOnlySpan<byte> hardwareError)
    {
        for (int i = 0; i < hardwareError.Length; i++)
        {
            if (hardwareError[i] != 0)
            {
                return true;
            }
        }

        return false;
    }

    private Interlocks CheckJoints(in InterlockInputs inputs)
    {
        ReadOnlySpan<double> qMeas = inputs.MeasuredRad;
        Interlocks live = Interlocks.None;
        double margin = options.JointLimitMarginRad;
        for (int i = 0; i < model.JointCount; i++)
        {
            JointSpec j = model.Joints[i];
            if (qMeas[i] < j.MinRad - margin || qMeas[i] > j.MaxRad + margin)
            {
                live |= Interlocks.JointPositionLimit;
            }
        }

        if (CheckVelocity(qMeas, inputs.FeedbackTicks, inputs.FeedbackRequestTicks))
        {
            live |= Interlocks.JointVelocityLimit;
        }

        return live | CheckTracking(qMeas, inputs.GoalCycles);
    }

    // Speed over a window of ≥ 20 ms: one count of quantisation is then ≈ 0.08 rad/s, well below the margin.
    private bool CheckVelocity(ReadOnlySpan<double> qMeas, long fbTicks, long fbRequestTicks)
    {
        if (_velRefTicks == 0)
        {
            qMeas.CopyTo(_qVelRef);
            _velRefTicks = fbTicks;
            _velRefRequestTicks = fbRequestTicks;
        }
        else if (fbTicks - _velRefTicks >= _velocityWindowTicks)
        {
            // Each reading was sampled somewhere between its request and its reply: dividing by the longest interval
            // that can separate the two samples never overstates the speed (a reading delayed in transit must not
            // look like a jump).
            double dtS = (fbTicks - _velRefRequestTicks) / (double)Stopwatch.Frequency;
            _velocityFault = false;
            for (int i = 0; i < model.JointCount; i++)
            {
                double v = Math.Abs(qMeas[i] - _qVelRef[i]) / dtS;
                if (v > 1.5 * model.Joints[i].MaxVelocityRadS + options.VelocityMarginRadS)
                {
                    _velocityFault = true;
                }
            }

            qMeas.CopyTo(_qVelRef);
            _velRefTicks = fbTicks;
            _velRefRequestTicks = fbRequestTicks;
        }

        return _velocityFault;
    }

    private Interlocks CheckTracking(ReadOnlySpan<double> qMeas, (long From, long To) goalCycles)
    {
        Interlocks live = Interlocks.None;
        (long from, long to) = goalCycles;
        if (goals.HasCurrent && goals.Count > 0 && to >= 0)
        {
            // Compare the reading with the goals that actually drove the servos when it was taken (the last two
            // sent before its request, reaching back by the servos' response time): transport delay and scheduling
            // stalls are then not mistaken for a jam.
            for (int i = 0; i < model.JointCount; i++)
            {
                double error = goals.SmallestErrorRad(i, qMeas[i], from, to);
                if (error > model.Joints[i].TrackingToleranceRad)
                {
                    live |= Interlocks.TrackingError;
                    _trackingJoint = i;
                    _trackingErrorRad = error;
                    _trackingWindow = (from, to);
                }
            }
        }

        return live;
    }
}
