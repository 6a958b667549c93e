using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Control.Motion;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Robotics.Control;

/// <summary>
/// One control cycle, without timing: drain commands, read servo feedback and the master, evaluate every interlock
/// (<see cref="InterlockEvaluator"/>), let the supervisor react, run this state's motion stepper (power-up, joint
/// moves, teleoperation with corridor fixture and IK) and pass its goals through the <see cref="ServoCommandGate"/>.
/// Runs on one thread (the loop's); the steady state (no transition, no command) allocates nothing.
/// </summary>
public sealed partial class ControlCore
{
    private readonly RobotModel _model;
    private readonly ControllerOptions _options;
    private readonly ControllerInputs _inputs;
    private readonly ControllerOutputs _outputs;
    private readonly ServoFeedback _feedback;
    private readonly ControlAudit _audit;
    private readonly SafetySupervisor _supervisor;
    private readonly ServoCommandGate _gate;
    private readonly GoalHistory _goals;
    private readonly InterlockEvaluator _interlocks;
    private readonly JointCommand _joints;
    private readonly PowerUpStepper _powerUp;
    private readonly JointMoveStepper _moves;
    private readonly TeleopStepper _teleop;
    private readonly double[] _qMeas;
    private readonly int[] _measCounts;
    private readonly byte[] _hwError;
    private readonly long _torqueOffRepeatTicks;
    private readonly UnsafeTestOptions? _unsafe;
    private readonly IServoPower _power;
    private readonly BeamGate? _beamGate;
    private readonly BeamHoldReasons _ignoredBeamReasons;
    private long _cycle;
    private long _now;
    private long _torqueOffTicks;
    private MasterSample _master;
    private bool _haveMaster;
    private LinacReading _linac;
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
        _power = power;
        _outputs = outputs;
        _feedback = feedback;
        _audit = new ControlAudit(audit);
        int n = model.JointCount;
        _supervisor = new SafetySupervisor(new Observer(this));
        _gate = new ServoCommandGate(_supervisor, sink, n);
        if (unsafeOptions is { Any: true })
        {
            _unsafe = unsafeOptions;
            _ignoredBeamReasons = unsafeOptions.IgnoredBeamHoldReasons;
            _audit.Write("unsafeTestOptions",
                ("warning", "UNSAFE TEST OPTIONS ACTIVE: safety functions removed for a HIL negative test; never run hardware with this controller"),
                ("options", unsafeOptions.ToString()));
        }

        if (beam is not null)
        {
            _beamGate = new BeamGate(model, beam);
        }

        CorridorFixture? fixture = corridorLps is not null && _unsafe?.DisableCorridorFixture != true
            ? new CorridorFixture(corridorLps.Transformed(model.PatientToRobot, "robot base m"), teleop)
            : null;
        _goals = new GoalHistory(model, options.TrackingLagMs);
        _interlocks = new InterlockEvaluator(model, options, teleop, _goals, _beamGate, _unsafe?.DisabledInterlocks ?? Interlocks.None);
        _joints = new JointCommand(model, _gate, _goals, options.PeriodS, clampJoints: _unsafe?.SkipJointLimitClamp != true);
        var ik = new DlsIkSolver(model, ikOptions);
        _powerUp = new PowerUpStepper(power, _joints, _supervisor, _audit);
        _moves = new JointMoveStepper(model, _supervisor, _joints, ik, _audit);
        _teleop = new TeleopStepper(model, options, _supervisor, _joints, ik, new TeleopMapper(teleop), fixture, _interlocks);
        _qMeas = new double[n];
        _measCounts = new int[n];
        _hwError = new byte[n];
    }

    /// <summary>The supervisor (owned by the loop thread).</summary>
    public SafetySupervisor Supervisor => _supervisor;

    /// <summary>The gate.</summary>
    public ServoCommandGate Gate => _gate;

    /// <summary>The robot.</summary>
    public RobotModel Model => _model;

    /// <summary>The fixture's corridor in the robot frame (metres), if any.</summary>
    public Corridor? CorridorRobot => _teleop.CorridorRobot;

    /// <summary>Cycle of the last step.</summary>
    public long Cycle => _cycle;

    /// <summary>Interlocks measured in the last step.</summary>
    public Interlocks LastInterlocks { get; private set; }

    /// <summary>Cycle at which the supervisor last entered Paused, Fault or EStop, with its timestamp and the interlocks then (tests, diagnostics).</summary>
    public (long Cycle, long Ticks, SafetyState State, Interlocks Interlocks) LastStopTransition { get; private set; }

    /// <summary>Heartbeat ticks that were last when the heartbeat interlock was raised (detection-time checks).</summary>
    public (long HeartbeatTicks, long DetectedTicks, long DetectedCycle) LastHeartbeatLoss => _interlocks.LastHeartbeatLoss;

    /// <summary>Pose arrival ticks that were last when the pose-staleness interlock was raised (detection-time checks).</summary>
    public (long PoseTicks, long DetectedTicks, long DetectedCycle) LastPoseLoss => _interlocks.LastPoseLoss;

    /// <summary>True when built with test-only switches that remove safety functions.</summary>
    public bool HasUnsafeTestOptions => _unsafe is not null;

    /// <summary>The beam gate, if configured.</summary>
    public BeamGate? BeamGate => _beamGate;

    /// <summary>The beam armed by the last accepted move to a beam pose (0: none) and that pose (robot base frame).</summary>
    public (int Beam, Pose Pose) ArmedBeam => _moves.ArmedBeam;

    /// <summary>Commanded joints (rad).</summary>
    public ReadOnlySpan<double> CommandRad => _joints.CommandRad;

    /// <summary>Measured joints (rad).</summary>
    public ReadOnlySpan<double> MeasuredRad => _qMeas;

    /// <summary>Runs one cycle at <paramref name="nowTicks"/> (the cycle's deadline, Stopwatch ticks).</summary>
    public void Step(long nowTicks, long cycle)
    {
        _now = nowTicks;
        _cycle = cycle;
        _audit.Cycle = cycle;
        _inputs.SetCycle(cycle);
        DrainCommands();

        Interlocks live = EvaluateInterlocks();
        LastInterlocks = live;
        _supervisor.Update(live);

        _teleop.BeginCycle();
        var stamp = new CommandStamp(cycle, _haveMaster ? _master.Sequence : 0, _haveMaster ? _master.SentTicks : 0);
        if (_supervisor.State != SafetyState.Following)
        {
            _interlocks.ClearCorridor();
        }

        StepState(live, stamp);
        _goals.Record(cycle);
        if (_beamGate is not null)
        {
            StepBeam(live);
        }

        _outputs.Publish(cycle, _supervisor.State, live, _teleop.ForceMasterN, _teleop.FixtureActive, _joints.CommandRad, _qMeas,
            _joints.CommandPose().Position);
    }

    // Reads this cycle's servo reading and master sample, then gathers every input of the interlock rules and evaluates them.
    private Interlocks EvaluateInterlocks()
    {
        long fbVersion = _feedback.Read(_measCounts, _hwError, out int statusOr, out _, out bool watchdogTripped, out long fbTicks, out long fbRequestTicks);
        bool haveFeedback = fbVersion > 0;
        if (haveFeedback)
        {
            _model.ToRad(_measCounts, _qMeas);
            _gate.UpdateMeasured(_measCounts);
            _beamGate?.UpdateMeasured(_qMeas, fbTicks);
        }

        _haveMaster = _inputs.TryReadMaster(out _master);
        var inputs = new InterlockInputs
        {
            NowTicks = _now,
            Cycle = _cycle,
            State = _supervisor.State,
            Active = _supervisor.ActiveInterlocks,
            EStopPressLatched = _inputs.TakeEStopPress(),
            EStopPressed = _inputs.EStopPressed,
            EStopDeviceTicks = _inputs.LastEStopDeviceTicks,
            HeartbeatTicks = _inputs.LastHeartbeatTicks,
            PoseTicks = _inputs.LastPoseTicks,
            BrokerConnected = _inputs.BrokerConnected,
            OperatorPresent = _haveMaster && _master.OperatorPresent,
            HaveFeedback = haveFeedback,
            StatusErrorOr = statusOr,
            HardwareError = _hwError,
            WatchdogTripped = watchdogTripped,
            FeedbackTicks = fbTicks,
            FeedbackRequestTicks = fbRequestTicks,
            GoalCycles = _feedback.GoalCycles,
            MeasuredRad = _qMeas,
            Linac = ReadLinac(),
            PermitWithdrawnSequence = _withdrawnSeq,
            Relay = _power.Relay,
        };
        return _interlocks.Evaluate(inputs);
    }

    // The linac's status, read once per cycle (for the BeamOn rule and the beam permit) when a beam gate is configured.
    private LinacReading ReadLinac()
    {
        if (_beamGate is not null)
        {
            _linac = _inputs.Linac;
        }

        return _linac;
    }

    private void StepState(Interlocks live, in CommandStamp stamp)
    {
        switch (_supervisor.State)
        {
            case SafetyState.Powering:
                _powerUp.Step();
                break;
            case SafetyState.Homing:
            case SafetyState.ExecutingTrajectory:
                _moves.Step(live, stamp, _qMeas);
                break;
            case SafetyState.Following:
                _teleop.StepFollowing(live, stamp, _haveMaster, _master, _qMeas);
                break;
            case SafetyState.Aligning:
                _teleop.StepAligning(_haveMaster, _master, stamp);
                break;
            case SafetyState.Clutched:
                _teleop.StepClutched(_haveMaster, _master, stamp);
                break;
            case SafetyState.Enabled:
            case SafetyState.Ready:
            case SafetyState.Paused:
                _joints.Hold(stamp);
                break;
            case SafetyState.Fault:
            case SafetyState.EStop:
                // Torque is off and stays off: ask again now and then from this thread. Each request preempts the IO
                // thread's transaction at the wire's first quiet moment (a Sync Read waiting out the reply timeouts of a
                // silent servo is given up), so the repeat is not held back by them.
                if (_now - _torqueOffTicks >= _torqueOffRepeatTicks)
                {
                    _gate.TorqueOffNow();
                    _torqueOffTicks = _now;
                }

                break;
            default:
                // Disabled: torque is off; nothing is written.
                break;
        }
    }
}
