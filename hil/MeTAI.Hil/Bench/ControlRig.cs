using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Hil.Haptics;
using MeTAI.Hil.Serial;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;

namespace MeTAI.Hil.Bench;

/// <summary>
/// The controller on real transports against its twins: an MQTT broker (embedded, or an external one), a pty servo
/// chain with the robot's servo IDs, the <see cref="ControllerHost"/> opening the pty with System.IO.Ports, and a haptic
/// master twin whose orientation starts aligned with the slave's home orientation. Tests and the benchmark use it;
/// a HIL harness can add scenarios and faults on top (every part is exposed).
/// </summary>
public sealed class ControlRig : IAsyncDisposable
{
    private readonly ControlRigOptions _options;

    private ControlRig(ControlRigOptions options)
    {
        _options = options;
        Users = options.Users ?? RigUser.Generate();
    }

    /// <summary>Accounts (plain passwords).</summary>
    public IReadOnlyList<RigUser> Users { get; }

    /// <summary>The embedded broker (null with an external one).</summary>
    public EmbeddedBroker? Broker { get; private set; }

    /// <summary>Broker host.</summary>
    public string BrokerHost { get; private set; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int BrokerPort { get; private set; }

    /// <summary>The servo chain twin (null when it runs in another process: <see cref="ControlRigOptions.ExternalServoPath"/>).</summary>
    public ServoChainTwin Servos { get; private set; } = null!;

    /// <summary>The serial device the controller opens (the twin's pty).</summary>
    public string ServoPath { get; private set; } = "";

    /// <summary>The controller.</summary>
    public ControllerHost Controller { get; private set; } = null!;

    /// <summary>The haptic master twin (null when it runs in another process: <see cref="ControlRigOptions.ExternalMaster"/>).</summary>
    public HapticMasterTwin Master { get; private set; } = null!;

    /// <summary>The robot.</summary>
    public RobotModel Robot => _options.Robot;

    /// <summary>Stylus pose at start: position zero, orientation aligned with the slave's home orientation.</summary>
    public Pose MasterHome { get; private set; }

    /// <summary>Starts broker, servo twin, controller and master.</summary>
    public static async Task<ControlRig> StartAsync(ControlRigOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rig = new ControlRig(options);
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
        if (_options.ExternalBroker is { } external)
        {
            (BrokerHost, BrokerPort) = external;
        }
        else
        {
            Broker = new EmbeddedBroker(new EmbeddedBrokerOptions
            {
                Robot = Robot.Name,
                Users = [.. Users.Select(u => MqttUser.Create(u.Name, u.Role, u.Password))],
            });
            await Broker.StartAsync(cancellationToken).ConfigureAwait(false);
            BrokerPort = Broker.Port;
        }

        if (_options.ExternalServoPath is { } servoPath)
        {
            ServoPath = servoPath;
        }
        else
        {
            Servos = StartServoTwin(Robot);
            ServoPath = Servos.SlavePath;
        }

        Controller = new ControllerHost(new ControllerHostOptions
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
            NoGcRegionBytes = _options.NoGcRegionBytes,
        });
        await Controller.StartAsync(cancellationToken).ConfigureAwait(false);

        MasterHome = MasterHomeFor(Robot, _options.Teleop);
        if (!_options.ExternalMaster)
        {
            Master = new HapticMasterTwin(new HapticMasterOptions { Broker = Endpoint("master1"), Robot = Robot.Name, InitialPose = MasterHome });
            await Master.StartAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>A started servo chain twin with the robot's servo IDs, every joint at zero.</summary>
    public static ServoChainTwin StartServoTwin(RobotModel robot)
    {
        ArgumentNullException.ThrowIfNull(robot);
        var servos = new ServoChainTwin(new ServoChainOptions
        {
            Servos = [.. robot.Joints.Select(j => new ServoTwinOptions { Id = j.ServoId, InitialPositionCounts = robot.Servo.ToCounts(0, j) })],
        });
        servos.Start();
        return servos;
    }

    /// <summary>Endpoint for one of the rig's users.</summary>
    public MqttEndpoint Endpoint(string user) => new()
    {
        Host = BrokerHost,
        Port = BrokerPort,
        UserName = user,
        Password = Users.First(u => u.Name == user).Password,
    };

    /// <summary>Enable → Home → StartTeleop, waiting for each; throws on a timeout with the state reached.</summary>
    public async Task BringToFollowingAsync(CancellationToken cancellationToken = default)
    {
        await BringToReadyAsync(cancellationToken).ConfigureAwait(false);
        await CommandAndWaitAsync(ControllerCommandKind.StartTeleop, SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Enable → Home, waiting for Ready.</summary>
    public async Task BringToReadyAsync(CancellationToken cancellationToken = default)
    {
        // The heartbeat must have arrived before Enable's guard is checked.
        await WaitUntilAsync(() => Controller.Inputs.Heartbeats > 0, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        await CommandAndWaitAsync(ControllerCommandKind.Enable, SafetyState.Enabled, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        await CommandAndWaitAsync(ControllerCommandKind.Home, SafetyState.Ready, TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a command and waits for a state.</summary>
    public async Task CommandAndWaitAsync(ControllerCommandKind command, SafetyState state, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Controller.Command(command, acknowledge: command == ControllerCommandKind.Reset);
        if (!await Controller.WaitForStateAsync(state, timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"After {command} the controller is in {Controller.State}, not {state} (interlocks {Controller.Core.LastInterlocks}). {AuditTail()}");
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

    /// <summary>Polls <paramref name="condition"/> every 2 ms; throws on timeout.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException("Condition not met within " + timeout);
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

    /// <summary>Stops master, controller (torque off), servo twin and broker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Master is not null)
        {
            await Master.DisposeAsync().ConfigureAwait(false);
        }

        if (Controller is not null)
        {
            await Controller.DisposeAsync().ConfigureAwait(false);
        }

        Servos?.Dispose();
        if (Broker is not null)
        {
            await Broker.DisposeAsync().ConfigureAwait(false);
        }
    }
}
