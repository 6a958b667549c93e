using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Control;

/// <summary>
/// One control cycle, without timing: drain commands, read servo feedback and the master, evaluate every interlock,
/// let the supervisor react, compute this state's goals (teleoperation with corridor fixture and IK, homing, joint
/// moves) and pass them through the <see cref="ServoCommandGate"/>. Runs on one thread (the loop's); the steady
/// state (no transition, no command) allocates nothing.
/// </summary>
public sealed partial class ControlCore
{
    // Goals of the last 512 cycles, to compare each servo reading with the goal that was in force when it was taken.
    private const int GoalHistory = 512;

    private readonly RobotModel _model;
    private readonly ControllerOptions _options;
    private readonly ControllerInputs _inputs;
    private readonly ControllerOutputs _outputs;
    private readonly ServoFeedback _feedback;
    private readonly IServoPower _power;
    private readonly IAuditSink? _audit;
    private readonly SafetySupervisor _supervisor;
    private readonly ServoCommandGate _gate;
    private readonly DlsIkSolver _ik;
    private readonly TeleopMapper _mapper;
    private readonly CorridorFixture? _fixture;
    private readonly int _n;
    private readonly double[] _qMeas;
    private readonly double[] _qCmd;
    private readonly double[] _vCmd;
    private readonly double[] _qTarget;
    private readonly double[] _qIk;
    private readonly double[] _qVelRef;
    private readonly double[] _moveTarget;
    private readonly int[] _goalCounts;
    private readonly int[] _measCounts;
    private readonly int[] _lastGoalCounts;
    private readonly byte[] _hwError;
    private readonly long[] _goalHistoryCycles = new long[GoalHistory];
    private readonly long[] _goalHistoryTicks = new long[GoalHistory];
    private readonly int[] _goalHistory;
    private int _goalHistoryHead;
    private int _goalHistoryCount;
    private readonly long _watchdogTicks;
    private readonly long _servoTimeoutTicks;
    private readonly long _velocityWindowTicks;
    private readonly double _dt;
    private long _velRefTicks;
    private long _velRefRequestTicks;
    private long _fbRequestTicks;
    private long _feedbackAgeTicks;
    private int _trackingJoint;
    private double _trackingErrorRad;
    private (long From, long To) _trackingWindow;
    private bool _watchdogTripped;
    private readonly long _trackingLagTicks;
    private bool _velocityFault;
    private bool _corridorViolation;
    private bool _afterClutch;
    private bool _haveLastGoal;
    private Vec3 _forceMasterN;
    private bool _fixtureActive;
    private long _cycle;
    private long _now;
    private long _torqueOffTicks;
    private readonly long _torqueOffRepeatTicks;
    private MasterSample _master;
    private bool _haveMaster;
    private long _fbTicks;
    private readonly UnsafeTestOptions? _unsafe;
    private readonly Interlocks _disabledInterlocks;
    private readonly bool _clampJoints = true;
    private readonly BeamGate? _beamGate;
    private readonly BeamHoldReasons _ignoredBeamReasons;
    private LinacReading _linac;
    private Pose _plannedPose = Pose.Identity;
    private int _armedBeam;
    private bool _permit;
    private long _permitSeq;
    private long _withdrawnSeq;
    private bool _linacOnSeen;

    /// <summary>
    /// Creates the core. <paramref name="corridorLps"/> (patient LPS mm) enables the virtual fixture;
    /// <paramref name="beam"/> enables the radiotherapy beam gate (permit, <see cref="Interlocks.BeamOn"/>).
    /// </summary>
    public ControlCore(RobotModel model, ControllerOptions options, TeleopOptions teleop, ControllerInputs inputs,
        ControllerOutputs outputs, ServoFeedback feedback, IServoCommandSink sink, IServoPower power,
        Corridor? corridorLps = null, IAuditSink? audit = null, IkOptions? ikOptions = null, BeamGateOptions? beam = null)
        : this(model, options, teleop, inputs, outputs, feedback, sink, power, corridorLps, audit, ikOptions, beam, unsafeOptions: null)
    {
    }

    /// <summary>Creates the core with test-only switches that remove safety functions (HIL negative tests; audited loudly).</summary>
    internal ControlCore(RobotModel model, ControllerOptions options, TeleopOptions teleop, ControllerInputs inputs,
        ControllerOutputs outputs, ServoFeedback feedback, IServoCommandSink sink, IServoPower power,
        Corridor? corridorLps, IAuditSink? audit, IkOptions? ikOptions, BeamGateOptions? beam, UnsafeTestOptions? unsafeOptions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(teleop);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(power);
        options.Validate();
        teleop.Validate();
        _model = model;
        _options = options;
        _torqueOffRepeatTicks = (long)(options.LatchedTorqueOffRepeatMs * 1e-3 * Stopwatch.Frequency);
        _inputs = inputs;
        _outputs = outputs;
        _feedback = feedback;
        _power = power;
        _audit = audit;
        _n = model.JointCount;
        _supervisor = new SafetySupervisor(new Observer(this));
        _gate = new ServoCommandGate(_supervisor, sink, _n);
        _ik = new DlsIkSolver(model, ikOptions);
        _mapper = new TeleopMapper(teleop);
        if (unsafeOptions is { Any: true })
        {
            _unsafe = unsafeOptions;
            _disabledInterlocks = unsafeOptions.DisabledInterlocks;
            _clampJoints = !unsafeOptions.SkipJointLimitClamp;
            _ignoredBeamReasons = unsafeOptions.IgnoredBeamHoldReasons;
            Audit("unsafeTestOptions",
                ("warning", "UNSAFE TEST OPTIONS ACTIVE: safety functions removed for a HIL negative test; never run hardware with this controller"),
                ("options", unsafeOptions.ToString()));
        }

        if (beam is not null)
        {
            _beamGate = new BeamGate(model, beam);
        }

        if (corridorLps is not null && _unsafe?.DisableCorridorFixture != true)
        {
            _fixture = new CorridorFixture(corridorLps.Transformed(model.PatientToRobot, "robot base m"), teleop);
        }

        _qMeas = new double[_n];
        _qCmd = new double[_n];
        _vCmd = new double[_n];
        _qTarget = new double[_n];
        _qIk = new double[_n];
        _qVelRef = new double[_n];
        _moveTarget = new double[_n];
        _goalCounts = new int[_n];
        _measCounts = new int[_n];
        _lastGoalCounts = new int[_n];
        _hwError = new byte[_n];
        _goalHistory = new int[GoalHistory * _n];
        _dt = options.PeriodS;
        _watchdogTicks = (long)(options.HeartbeatWatchdogMs * 1e-3 * Stopwatch.Frequency);
        _servoTimeoutTicks = (long)(options.ServoTimeoutMs * 1e-3 * Stopwatch.Frequency);
        _velocityWindowTicks = (long)(options.VelocityWindowMs * 1e-3 * Stopwatch.Frequency);
        _trackingLagTicks = (long)(options.TrackingLagMs * 1e-3 * Stopwatch.Frequency);
    }

    /// <summary>The supervisor (owned by the loop thread).</summary>
    public SafetySupervisor Supervisor => _supervisor;

    /// <summary>The gate.</summary>
    public ServoCommandGate Gate => _gate;

    /// <summary>The robot.</summary>
    public RobotModel Model => _model;

    /// <summary>The fixture's corridor in the robot frame (metres), if any.</summary>
    public Corridor? CorridorRobot => _fixture?.Corridor;

    /// <summary>Cycle of the last step.</summary>
    public long Cycle => _cycle;

    /// <summary>Interlocks measured in the last step.</summary>
    public Interlocks LastInterlocks { get; private set; }

    /// <summary>Cycle at which the supervisor last entered Paused, Fault or EStop, with its timestamp and the interlocks then (tests, diagnostics).</summary>
    public (long Cycle, long Ticks, SafetyState State, Interlocks Interlocks) LastStopTransition { get; private set; }

    /// <summary>Heartbeat ticks that were last when the heartbeat interlock was raised (detection-time checks).</summary>
    public (long HeartbeatTicks, long DetectedTicks, long DetectedCycle) LastHeartbeatLoss { get; private set; }

    /// <summary>True when built with test-only switches that remove safety functions.</summary>
    public bool HasUnsafeTestOptions => _unsafe is not null;

    /// <summary>The beam gate, if configured.</summary>
    public BeamGate? BeamGate => _beamGate;

    /// <summary>The beam armed by the last accepted move to a beam pose (0: none) and that pose (robot base frame).</summary>
    public (int Beam, Pose Pose) ArmedBeam => (_armedBeam, _plannedPose);

    /// <summary>Commanded joints (rad).</summary>
    public ReadOnlySpan<double> CommandRad => _qCmd;

    /// <summary>Measured joints (rad).</summary>
    public ReadOnlySpan<double> MeasuredRad => _qMeas;

    /// <summary>Runs one cycle at <paramref name="nowTicks"/> (the cycle's deadline, Stopwatch ticks).</summary>
    public void Step(long nowTicks, long cycle)
    {
        _now = nowTicks;
        _cycle = cycle;
        _inputs.SetCycle(cycle);
        DrainCommands();

        long fbVersion = _feedback.Read(_measCounts, _hwError, out int statusOr, out _, out bool watchdogTripped, out long fbTicks, out long fbRequestTicks);
        bool haveFeedback = fbVersion > 0;
        if (haveFeedback)
        {
            _model.ToRad(_measCounts, _qMeas);
            _gate.UpdateMeasured(_measCounts);
            _beamGate?.UpdateMeasured(_qMeas, fbTicks);
        }

        _haveMaster = _inputs.TryReadMaster(out _master);
        _fbRequestTicks = fbRequestTicks;
        Interlocks live = Evaluate(haveFeedback, statusOr, watchdogTripped, fbTicks);
        LastInterlocks = live;
        _supervisor.Update(live);

        _forceMasterN = Vec3.Zero;
        _fixtureActive = false;
        var stamp = new CommandStamp(cycle, _haveMaster ? _master.Sequence : 0, _haveMaster ? _master.SentTicks : 0);
        if (_supervisor.State != SafetyState.Following)
        {
            _corridorViolation = false;
        }

        switch (_supervisor.State)
        {
            case SafetyState.Powering:
                StepPowering();
                break;
            case SafetyState.Homing:
            case SafetyState.ExecutingTrajectory:
                StepMove(live, stamp);
                break;
            case SafetyState.Following:
                StepFollowing(live, stamp);
                break;
            case SafetyState.Aligning:
                StepAligning(stamp);
                break;
            case SafetyState.Clutched:
                if (_haveMaster && !_master.Clutch)
                {
                    _afterClutch = true;
                    _supervisor.Fire(SafetyTrigger.ClutchReleased);
                }

                Hold(stamp);
                break;
            case SafetyState.Enabled:
            case SafetyState.Ready:
            case SafetyState.Paused:
                Hold(stamp);
                break;
            case SafetyState.Fault:
            case SafetyState.EStop:
                // Torque is off and stays off: say so again now and then from this thread (never queued behind the IO
                // thread's transactions, which may be waiting out reply timeouts of a silent servo).
                if (nowTicks - _torqueOffTicks >= _torqueOffRepeatTicks)
                {
                    _gate.TorqueOffNow();
                    _torqueOffTicks = nowTicks;
                }

                break;
            default:
                // Disabled: torque is off; nothing is written.
                break;
        }

        RecordGoal();
        if (_beamGate is not null)
        {
            StepBeam(live);
        }

        _outputs.Publish(cycle, _supervisor.State, live, _forceMasterN, _fixtureActive, _qCmd, _qMeas, ToolPosition());
    }

    private Vec3 ToolPosition() => _model.ForwardKinematics(_qCmd).Position;

    private Interlocks Evaluate(bool haveFeedback, int statusOr, bool watchdogTripped, long fbTicks)
    {
        Interlocks live = Interlocks.None;
        // The latch catches a press released again before this cycle (a pulse between two cycles must still stop the arm).
        if (_inputs.TakeEStopPress() | _inputs.EStopPressed)
        {
            live |= Interlocks.EStop;
        }

        long heartbeat = _inputs.LastHeartbeatTicks;
        if (heartbeat == 0 || _now - heartbeat > _watchdogTicks)
        {
            live |= Interlocks.HapticHeartbeat;
            if ((_supervisor.ActiveInterlocks & Interlocks.HapticHeartbeat) == 0)
            {
                LastHeartbeatLoss = (heartbeat, _now, _cycle);
            }
        }

        if (!_inputs.BrokerConnected)
        {
            live |= Interlocks.BrokerConnection;
        }

        if (!_haveMaster || !_master.OperatorPresent)
        {
            live |= Interlocks.DeadmanReleased;
        }

        if (haveFeedback && ((statusOr & XmControlTable.StatusAlertBit) != 0 || AnyHardwareError()))
        {
            live |= Interlocks.ServoHardwareError;
        }

        SafetyState state = _supervisor.State;
        if (SafetySupervisor.IsTorqueOnState(state))
        {
            _feedbackAgeTicks = haveFeedback ? _now - fbTicks : long.MaxValue;
            _fbTicks = haveFeedback ? fbTicks : 0;
            _watchdogTripped = watchdogTripped;
            if (!haveFeedback || _now - fbTicks > _servoTimeoutTicks || watchdogTripped)
            {
                live |= Interlocks.ServoBus;
            }

            if (haveFeedback)
            {
                live |= CheckJoints(fbTicks);
            }
        }
        else
        {
            _velRefTicks = 0;
            _velocityFault = false;
        }

        if (_corridorViolation)
        {
            live |= Interlocks.CorridorViolation;
        }

        if (_beamGate is not null)
        {
            _linac = _inputs.Linac;
            if (_beamGate.IsLinacStale(_linac, _now) || _linac.On || _linac.GateSequence < _withdrawnSeq)
            {
                // The arm never moves under beam: motion waits for the linac to confirm beam off after the last withdrawal.
                live |= Interlocks.BeamOn;
            }
        }

        return live & ~_disabledInterlocks;
    }

    private bool AnyHardwareError()
    {
        for (int i = 0; i < _n; i++)
        {
            if (_hwError[i] != 0)
            {
                return true;
            }
        }

        return false;
    }

    private Interlocks CheckJoints(long fbTicks)
    {
        Interlocks live = Interlocks.None;
        double margin = _options.JointLimitMarginRad;
        for (int i = 0; i < _n; i++)
        {
            JointSpec j = _model.Joints[i];
            if (_qMeas[i] < j.MinRad - margin || _qMeas[i] > j.MaxRad + margin)
            {
                live |= Interlocks.JointPositionLimit;
            }
        }

        // Speed over a window of ≥ 20 ms: one count of quantisation is then ≈ 0.08 rad/s, well below the margin.
        if (_velRefTicks == 0)
        {
            _qMeas.CopyTo(_qVelRef, 0);
            _velRefTicks = fbTicks;
            _velRefRequestTicks = _fbRequestTicks;
        }
        else if (fbTicks - _velRefTicks >= _velocityWindowTicks)
        {
            // Each reading was sampled somewhere between its request and its reply: dividing by the longest interval
            // that can separate the two samples never overstates the speed (a reading delayed in transit must not
            // look like a jump).
            double dtS = (fbTicks - _velRefRequestTicks) / (double)Stopwatch.Frequency;
            _velocityFault = false;
            for (int i = 0; i < _n; i++)
            {
                double v = Math.Abs(_qMeas[i] - _qVelRef[i]) / dtS;
                if (v > 1.5 * _model.Joints[i].MaxVelocityRadS + _options.VelocityMarginRadS)
                {
                    _velocityFault = true;
                }
            }

            _qMeas.CopyTo(_qVelRef, 0);
            _velRefTicks = fbTicks;
            _velRefRequestTicks = _fbRequestTicks;
        }

        if (_velocityFault)
        {
            live |= Interlocks.JointVelocityLimit;
        }

        (long from, long to) = _feedback.GoalCycles;
        if (_haveLastGoal && _goalHistoryCount > 0 && to >= 0)
        {
            // Compare the reading with the goals that actually drove the servos when it was taken (the last two
            // sent before its request, reaching back by the servos' response time): transport delay and scheduling
            // stalls are then not mistaken for a jam.
            for (int i = 0; i < _n; i++)
            {
                double error = TrackingError(i, from, to);
                if (error > _model.Joints[i].TrackingToleranceRad)
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

    // Smallest |goal − measured| over the goals that may have driven the servo when the reading was taken: from the
    // goal sent before the last one (reaching back the servo response time, in real time) to the last one sent.
    private double TrackingError(int joint, long fromCycle, long toCycle)
    {
        JointSpec j = _model.Joints[joint];
        double best = double.PositiveInfinity;
        long fromTicks = long.MinValue;
        for (int k = 0; k < _goalHistoryCount; k++)
        {
            int slot = (_goalHistoryHead - k + GoalHistory) % GoalHistory;
            long c = _goalHistoryCycles[slot];
            if (c > toCycle)
            {
                continue;
            }

            if (fromTicks == long.MinValue && c <= fromCycle)
            {
                fromTicks = _goalHistoryTicks[slot] - _trackingLagTicks;
            }

            if (fromTicks != long.MinValue && _goalHistoryTicks[slot] < fromTicks)
            {
                break;
            }

            double e = Math.Abs(_model.Servo.ToRad(_goalHistory[slot * _n + joint], j) - _qMeas[joint]);
            best = Math.Min(best, e);
        }

        return double.IsPositiveInfinity(best) ? 0 : best;
    }

    private void RecordGoal()
    {
        if (!_haveLastGoal)
        {
            _goalHistoryCount = 0;
            return;
        }

        _goalHistoryHead = (_goalHistoryHead + 1) % GoalHistory;
        _goalHistoryCycles[_goalHistoryHead] = _cycle;
        _goalHistoryTicks[_goalHistoryHead] = Stopwatch.GetTimestamp();
        _lastGoalCounts.CopyTo(_goalHistory.AsSpan(_goalHistoryHead * _n, _n));
        _goalHistoryCount = Math.Min(_goalHistoryCount + 1, GoalHistory);
    }

    private void StepPowering()
    {
        switch (_power.PowerUp)
        {
            case PowerUpStatus.Ready:
                ReadOnlySpan<int> at = _power.PowerUpPositions;
                _gate.SetHold(at);
                at.CopyTo(_lastGoalCounts);
                _haveLastGoal = true;
                _model.ToRad(at, _qCmd);
                Array.Clear(_vCmd);
                _power.AcknowledgePowerUp();
                _supervisor.Fire(SafetyTrigger.PowerReady);
                break;
            case PowerUpStatus.Failed:
                Audit("powerUpFailed", ("reason", _power.PowerUpFailure));
                _supervisor.Fire(SafetyTrigger.PowerFailed);
                break;
            default:
                break;
        }
    }

    private void Hold(in CommandStamp stamp)
    {
        _gate.Hold(stamp);
        if (_gate.IsHolding)
        {
            _gate.HoldCounts.CopyTo(_lastGoalCounts);
            _haveLastGoal = true;
        }
    }

    private void StepMove(Interlocks live, in CommandStamp stamp)
    {
        ReadOnlySpan<double> target = _supervisor.State == SafetyState.Homing ? _model.HomeRad : _moveTarget;
        target.CopyTo(_qTarget);
        if (_clampJoints)
        {
            _model.ClampToLimits(_qTarget);
        }

        RateLimit();
        Submit(live, stamp);

        double maxCmd = 0, maxMeas = 0, maxV = 0;
        for (int i = 0; i < _n; i++)
        {
            maxCmd = Math.Max(maxCmd, Math.Abs(_qTarget[i] - _qCmd[i]));
            maxMeas = Math.Max(maxMeas, Math.Abs(_qTarget[i] - _qMeas[i]));
            maxV = Math.Max(maxV, Math.Abs(_vCmd[i]));
        }

        if (maxCmd < 1e-4 && maxV < 1e-3 && maxMeas < 0.01)
        {
            _supervisor.Fire(_supervisor.State == SafetyState.Homing ? SafetyTrigger.HomingDone : SafetyTrigger.TrajectoryDone);
        }
    }

    private void StepAligning(in CommandStamp stamp)
    {
        Hold(stamp);
        if (!_haveMaster || !_master.OperatorPresent || _master.Clutch)
        {
            return;
        }

        Quat slave = _model.ForwardKinematics(_qCmd).Orientation;
        double tolerance = _afterClutch ? _mapper.Options.AlignmentAfterClutchRad : _mapper.Options.AlignmentToleranceRad;
        if (_mapper.AlignmentError(_master.Pose.Orientation, slave) < tolerance)
        {
            _supervisor.Fire(SafetyTrigger.Aligned);
        }
    }

    private void StepFollowing(Interlocks live, in CommandStamp stamp)
    {
        if (!_mapper.IsEngaged || !_haveMaster)
        {
            Hold(stamp);
            return;
        }

        if (_master.Clutch)
        {
            _supervisor.Fire(SafetyTrigger.ClutchPressed);
            Hold(stamp);
            return;
        }

        Pose target = _mapper.Map(_master.Pose, _dt);
        _corridorViolation = false;
        if (_fixture is not null)
        {
            Vec3 constrained = _fixture.Constrain(target.Position, _mapper.RawPosition, out Vec3 forceRobot, out double penetration);
            if (penetration > 0)
            {
                _fixtureActive = true;
                _forceMasterN = _mapper.RobotToMaster(forceRobot);
            }

            if (constrained != target.Position)
            {
                target = new Pose(constrained, target.Orientation);
                _mapper.SetLastTarget(target);
            }

            Vec3 measuredTool = _model.ForwardKinematics(_qMeas).Position;
            // The hold depth is judged on where the master asks the tool to be (before speed limiting and the
            // fixture's projection): pushing on through the wall holds the arm.
            if (penetration > _mapper.Options.HoldPenetrationM
                || _fixture.Penetration(measuredTool) > _mapper.Options.MeasuredHoldPenetrationM)
            {
                // Hold now (the gate sees the bit this cycle); the supervisor pauses on the next update.
                if ((_disabledInterlocks & Interlocks.CorridorViolation) == 0)
                {
                    _corridorViolation = true;
                    live |= Interlocks.CorridorViolation;
                }
            }
        }

        _ik.Solve(target, _qCmd, _qIk, _options.IkIterationsPerCycle);
        _qIk.CopyTo(_qTarget, 0);
        RateLimit();
        Submit(live, stamp);
    }

    private void Submit(Interlocks live, in CommandStamp stamp)
    {
        _model.ToCounts(_qCmd, _goalCounts);
        GateDecision decision = _gate.Submit(_goalCounts, live, stamp);
        if (decision == GateDecision.Motion)
        {
            _goalCounts.CopyTo(_lastGoalCounts, 0);
            _haveLastGoal = true;
        }
        else if (decision == GateDecision.Hold && _gate.IsHolding)
        {
            _gate.HoldCounts.CopyTo(_lastGoalCounts);
            _model.ToRad(_gate.HoldCounts, _qCmd);
            Array.Clear(_vCmd);
        }
    }

    // Per joint: approach the target with at most the velocity limit, decelerating in time (v ≤ √(2·a·|e|)),
    // and change velocity by at most the acceleration limit per cycle.
    private void RateLimit()
    {
        for (int i = 0; i < _n; i++)
        {
            JointSpec j = _model.Joints[i];
            double e = _qTarget[i] - _qCmd[i];
            double vMax = Math.Min(j.MaxVelocityRadS, Math.Sqrt(2 * j.MaxAccelerationRadS2 * Math.Abs(e)));
            vMax = Math.Min(vMax, Math.Abs(e) / _dt);
            double vDesired = Math.Sign(e) * vMax;
            double dv = Math.Clamp(vDesired - _vCmd[i], -j.MaxAccelerationRadS2 * _dt, j.MaxAccelerationRadS2 * _dt);
            double v = _vCmd[i] + dv;
            if (Math.Abs(v * _dt) > Math.Abs(e) && Math.Sign(v) == Math.Sign(e))
            {
                v = e / _dt;
            }

            _vCmd[i] = v;
            _qCmd[i] = _clampJoints ? Math.Clamp(_qCmd[i] + v * _dt, j.MinRad, j.MaxRad) : _qCmd[i] + v * _dt;
        }
    }
}
