using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Haptics;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation;

/// <summary>
/// The real controller on real transports against its simulated devices: an MQTT broker (embedded, or an external one),
/// a pty servo chain with the robot's servo IDs that the <see cref="ControllerHost"/> opens with System.IO.Ports, a
/// haptic master twin whose orientation starts aligned with the slave's home orientation, the heartbeating e-stop button
/// (every controller needs one), and — as asked — an operator console, a linac and a patient-motion twin, each with its own broker account. The service's
/// simulated controller, the control benchmark, tests and the HIL harness (which adds its fault proxy through
/// <see cref="SimulatedRigOptions.ClientRoute"/>) all use it; every part is exposed.
/// </summary>
public sealed class SimulatedRig : IAsyncDisposable
{
    private readonly SimulatedRigOptions _options;
    private string _clientHost = "127.0.0.1";
    private int _clientPort;

    private SimulatedRig(SimulatedRigOptions options)
    {
        _options = options;
        Users = options.Users ?? RigUser.Generate(deviceTwins: options.HasDeviceTwins);
        Topics = new MqttTopics(options.Robot.Name);
    }

    /// <summary>Options it was started with.</summary>
    public SimulatedRigOptions Options => _options;

    /// <summary>Accounts (plain passwords).</summary>
    public IReadOnlyList<RigUser> Users { get; }

    /// <summary>Topics of the robot.</summary>
    public MqttTopics Topics { get; }

    /// <summary>The embedded broker (null with an external one).</summary>
    public EmbeddedBroker? Broker { get; private set; }

    /// <summary>Broker host.</summary>
    public string BrokerHost { get; private set; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int BrokerPort { get; private set; }

    /// <summary>The servo chain twin (null when it runs in another process: <see cref="SimulatedRigOptions.ExternalServoPath"/>).</summary>
    public ServoChainTwin Servos { get; private set; } = null!;

    /// <summary>The serial device the controller opens (the twin's pty).</summary>
    public string ServoPath { get; private set; } = "";

    /// <summary>The controller.</summary>
    public ControllerHost Controller { get; private set; } = null!;

    /// <summary>The haptic master twin (null when it runs in another process: <see cref="SimulatedRigOptions.ExternalMaster"/>).</summary>
    public HapticMasterTwin Master { get; private set; } = null!;

    /// <summary>The e-stop button twin (<see cref="SimulatedRigOptions.EStopButton"/>), else null.</summary>
    public EStopButtonTwin? EStop { get; private set; }

    /// <summary>The operator console (<see cref="SimulatedRigOptions.OperatorConsole"/>), else null.</summary>
    public OperatorConsoleClient? Operator { get; private set; }

    /// <summary>The linac twin (<see cref="SimulatedRigOptions.Linac"/>), else null.</summary>
    public LinacTwin? Linac { get; private set; }

    /// <summary>The patient-motion twin (<see cref="SimulatedRigOptions.Patient"/>), else null.</summary>
    public PatientMotionTwin? Patient { get; private set; }

    /// <summary>The robot.</summary>
    public RobotModel Robot => _options.Robot;

    /// <summary>Stylus pose at start: position zero, orientation aligned with the slave's home orientation.</summary>
    public Pose MasterHome { get; private set; }

    /// <summary>Starts broker, servo twin, controller, master and the other twins asked for.</summary>
    public static async Task<SimulatedRig> StartAsync(SimulatedRigOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Realtime)
        {
            ProcessPriority.RaiseOnce();
        }

        var rig = new SimulatedRig(options);
        try
        {
            await rig.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        await StartBrokerAsync(cancellationToken).ConfigureAwait(false);
        (_clientHost, _clientPort) = _options.ClientRoute?.Invoke(BrokerHost, BrokerPort) ?? (BrokerHost, BrokerPort);
        if (_options.ExternalServoPath is { } servoPath)
        {
            ServoPath = servoPath;
        }
        else
        {
            Servos = StartServoTwin(Robot, _options.Servos, _options.Seed, _options.Realtime ? ServoTwinPriority : null, _options.PowerRelay);
            ServoPath = Servos.SlavePath;
        }

        Controller = new ControllerHost(BuildControllerOptions());
        await Controller.StartAsync(cancellationToken).ConfigureAwait(false);
        MasterHome = MasterHomeFor(Robot, _options.Teleop);
        if (!_options.ExternalMaster)
        {
            Master = new HapticMasterTwin(new HapticMasterOptions
            {
                Broker = Endpoint("master1"),
                Robot = Robot.Name,
                InitialPose = MasterHome,
                SpinMarginUs = _options.MasterSpinMarginUs,
                RealtimePriority = _options.Realtime ? MasterTwinPriority : null,
            });
            await Master.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await StartDeviceTwinsAsync(cancellationToken).ConfigureAwait(false);
        if (EStop is not null)
        {
            // The controller refuses power-up until its e-stop device heartbeats: the rig is ready once it has heard it.
            await WaitUntilAsync(() => Controller.Inputs.LastEStopDeviceTicks != 0, TimeSpan.FromSeconds(10), "the controller to hear the e-stop device",
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StartBrokerAsync(CancellationToken cancellationToken)
    {
        if (_options.ExternalBroker is { } external)
        {
            (BrokerHost, BrokerPort) = external;
            return;
        }

        Broker = new EmbeddedBroker(new EmbeddedBrokerOptions
        {
            Robot = Robot.Name,
            Users = [.. Users.Select(u => MqttUser.Create(u.Name, u.Role, u.Password))],
            MasterTokenKey = _options.MasterTokenKey,
        });
        await Broker.StartAsync(cancellationToken).ConfigureAwait(false);
        BrokerPort = Broker.Port;
    }

    /// <summary>SCHED_FIFO priority of the servo chain twin with <see cref="SimulatedRigOptions.Realtime"/> (between the controller's IO thread, 70, and its loop, 80).</summary>
    public const int ServoTwinPriority = 75;

    /// <summary>SCHED_FIFO priority of the haptic master's publisher with <see cref="SimulatedRigOptions.Realtime"/>.</summary>
    public const int MasterTwinPriority = 60;

    private ControllerHostOptions BuildControllerOptions()
    {
        var options = new ControllerHostOptions
        {
            Robot = Robot,
            Bus = new DynamixelBusOptions { PortName = ServoPath, ReplyTimeoutMs = _options.ReplyTimeoutMs, Retries = _options.Retries },
            Broker = Endpoint("controller"),
            MasterId = "master1",
            Controller = _options.Controller,
            Teleop = _options.Teleop,
            ServoIo = _options.ServoIo,
            Corridor = _options.Corridor,
            AuditPath = _options.AuditPath,
            AuditTap = _options.AuditTap,
            Beam = _options.Linac is null ? null : _options.Beam ?? new BeamGateOptions(),
            NoGcRegionBytes = _options.NoGcRegionBytes,
        };
        return _options.ConfigureController?.Invoke(options) ?? options;
    }

    private async Task StartDeviceTwinsAsync(CancellationToken cancellationToken)
    {
        if (_options.EStopButton)
        {
            EStop = new EStopButtonTwin(Endpoint("estop"), Robot.Name);
            await EStop.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_options.OperatorConsole)
        {
            Operator = new OperatorConsoleClient(Endpoint("operator"), Robot.Name);
            await Operator.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_options.Linac is { } linac)
        {
            Linac = new LinacTwin(Endpoint("linac"), Robot.Name, linac.DoseRateMuPerMin) { PermitTimeoutMs = linac.PermitTimeoutMs };
            await Linac.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_options.Patient is { } patient)
        {
            Patient = new PatientMotionTwin(Endpoint("patient"), Robot.Name)
            {
                BreathingAmplitudeMm = patient.AmplitudeMm,
                BreathingPeriodS = patient.PeriodS,
                BreathingAxis = patient.Axis,
                RateHz = patient.RateHz,
            };
            await Patient.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The stylus pose aligned with the slave's home orientation, at the master's origin.</summary>
    public static Pose MasterHomeFor(RobotModel robot, TeleopOptions teleop)
    {
        ArgumentNullException.ThrowIfNull(robot);
        ArgumentNullException.ThrowIfNull(teleop);
        Quat slaveHome = robot.ForwardKinematics(robot.HomeRad).Orientation;
        return new Pose(Vec3.Zero, (teleop.MasterToRobot.Conjugate() * slaveHome).Normalized());
    }

    /// <summary>
    /// A started servo chain twin with the robot's servo IDs, every joint at zero; physics from <paramref name="settings"/>
    /// (none: the twin's defaults), encoder noise drawn with <paramref name="seed"/>, and the power relay board
    /// <paramref name="powerRelay"/> (none: the board's defaults).
    /// </summary>
    public static ServoChainTwin StartServoTwin(RobotModel robot, ServoSettings? settings = null, int seed = 1, int? realtimePriority = null,
        PowerRelayOptions? powerRelay = null)
    {
        ArgumentNullException.ThrowIfNull(robot);
        var servos = new ServoChainTwin(new ServoChainOptions
        {
            RealtimePriority = realtimePriority,
            PowerRelay = powerRelay ?? new PowerRelayOptions(),
            Servos = [.. robot.Joints.Select(j => settings is null
                ? new ServoTwinOptions { Id = j.ServoId, InitialPositionCounts = robot.Servo.ToCounts(0, j), NoiseSeed = seed }
                : new ServoTwinOptions
                {
                    Id = j.ServoId,
                    InitialPositionCounts = robot.Servo.ToCounts(0, j),
                    TimeConstantS = settings.TimeConstantMs / 1000,
                    MaxAccelerationCountsPerS2 = settings.AccelerationRadS2 * robot.Servo.CountsPerRad,
                    EncoderNoiseCounts = settings.EncoderNoiseCounts,
                    NoiseSeed = seed,
                })],
        });
        servos.Start();
        return servos;
    }

    /// <summary>Endpoint for one of the rig's users (through <see cref="SimulatedRigOptions.ClientRoute"/> when there is one).</summary>
    public MqttEndpoint Endpoint(string user) => new()
    {
        Host = _clientHost,
        Port = _clientPort,
        UserName = user,
        Password = Users.First(u => u.Name == user).Password,
    };

    /// <summary>Enable → Home → StartTeleop (local commands), waiting for each; throws on a timeout with the state reached.</summary>
    public async Task BringToFollowingAsync(CancellationToken cancellationToken = default)
    {
        await BringToReadyAsync(cancellationToken).ConfigureAwait(false);
        await CommandAndWaitAsync(ControllerCommandKind.StartTeleop, SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enable → Home (local commands), waiting for Ready.</summary>
    public async Task BringToReadyAsync(CancellationToken cancellationToken = default)
    {
        // The heartbeat must have arrived before Enable's guard is checked.
        await WaitUntilAsync(() => Controller.Inputs.Heartbeats > 0, TimeSpan.FromSeconds(5), cancellationToken: cancellationToken).ConfigureAwait(false);
        await CommandAndWaitAsync(ControllerCommandKind.Enable, SafetyState.Enabled, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        await CommandAndWaitAsync(ControllerCommandKind.Home, SafetyState.Ready, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="BringToReadyAsync"/>, tried up to <paramref name="attempts"/> times: when load on a shared machine trips
    /// an unrelated interlock on the way (a late heartbeat or servo reply), the rig recovers (<see cref="RecoverAsync"/>)
    /// and tries again; the last failure is thrown.
    /// </summary>
    public Task ReadyWithRetriesAsync(int attempts = 5, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(() => Controller.State == SafetyState.Ready ? Task.CompletedTask : BringToReadyAsync(cancellationToken), attempts, cancellationToken);

    /// <summary><see cref="BringToFollowingAsync"/>, tried like <see cref="ReadyWithRetriesAsync"/>.</summary>
    public Task FollowingWithRetriesAsync(int attempts = 5, CancellationToken cancellationToken = default) =>
        WithRetriesAsync(() => BringToFollowingAsync(cancellationToken), attempts, cancellationToken);

    /// <summary>
    /// Back to Disabled from wherever the controller stopped: Resume then Disable after a hold, an acknowledged Reset
    /// after a fault or e-stop, Disable otherwise.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        switch (Controller.State)
        {
            case SafetyState.Paused:
                Controller.Command(ControllerCommandKind.Resume);
                await Controller.WaitForStateAsync(SafetyState.Ready, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                Controller.Command(ControllerCommandKind.Disable);
                break;
            case SafetyState.Fault or SafetyState.EStop:
                Controller.Command(ControllerCommandKind.Reset, acknowledge: true);
                break;
            default:
                Controller.Command(ControllerCommandKind.Disable);
                break;
        }

        await Controller.WaitForStateAsync(SafetyState.Disabled, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a local command and waits for a state.</summary>
    public async Task CommandAndWaitAsync(ControllerCommandKind command, SafetyState state, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Controller.Command(command, acknowledge: command == ControllerCommandKind.Reset);
        if (!await Controller.WaitForStateAsync(state, timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"After {command} the controller is in {Controller.State}, not {state} (interlocks {Controller.Core.LastInterlocks}). {AuditTail()}");
        }
    }

    private async Task WithRetriesAsync(Func<Task> bringUp, int attempts, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await bringUp().ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (attempt < attempts)
            {
                await RecoverAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The last audit records (diagnostics for failures), or an empty string without an audit log.</summary>
    public string AuditTail(int lines = 12)
    {
        if (Controller.Audit is null)
        {
            return "";
        }

        Controller.Audit.Flush();
        using var stream = new FileStream(Controller.Audit.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        string[] all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return "Audit tail:\n" + string.Join("\n", all.TakeLast(lines).Select(l => l.Length > 260 ? l[..260] : l));
    }

    /// <summary>
    /// Polls <paramref name="condition"/> every 2 ms; throws a <see cref="TimeoutException"/> after <paramref name="timeout"/>,
    /// naming <paramref name="what"/> was waited for.
    /// </summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string? what = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException(what is null ? "Condition not met within " + timeout : $"waited {timeout.TotalSeconds:F1} s for {what}");
            }

            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A corridor (patient LPS mm) along the tool's insertion axis (tool x) through the home tool tip:
    /// from <paramref name="backMm"/> behind to <paramref name="forwardMm"/> ahead, radius <paramref name="radiusMm"/>.
    /// </summary>
    public static Corridor CorridorAroundHome(RobotModel robot, double radiusMm = 5, double backMm = 20, double forwardMm = 60)
    {
        ArgumentNullException.ThrowIfNull(robot);
        Pose home = robot.ForwardKinematics(robot.HomeRad);
        Vec3 axis = home.Orientation.Rotate(Vec3.UnitX);
        Transform robotToPatient = robot.PatientToRobot.Inverse();
        Vec3 a = robotToPatient.Apply(home.Position - axis * (backMm / 1000));
        Vec3 tip = robotToPatient.Apply(home.Position);
        Vec3 b = robotToPatient.Apply(home.Position + axis * (forwardMm / 1000));
        return new Corridor([a, b], radiusMm, tip, b);
    }

    /// <summary>Stops the twins, the controller (torque off), the servo chain and the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        IAsyncDisposable?[] clients = [Patient, Linac, Operator, EStop, Master, Controller];
        foreach (IAsyncDisposable? client in clients)
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        Servos?.Dispose();
        if (Broker is not null)
        {
            await Broker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
