using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Bench;
using MeTAI.Hil.Devices;
using MeTAI.Hil.Haptics;
using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Serial;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Transport;

namespace MeTAI.Hil.Runner;

/// <summary>
/// The controller and every device twin on real transports: an MQTT broker (embedded, or external) behind the
/// <see cref="MqttFaultProxy"/> that every client goes through; the pty servo chain the controller opens with
/// System.IO.Ports; the haptic master, e-stop button, operator console and — for radiotherapy — linac and patient-motion
/// twins, each with its own broker account. One rig can run many scenarios (<see cref="ResetAsync"/> between runs).
/// </summary>
public sealed class HilRig : IAsyncDisposable
{
    private readonly HilRigOptions _options;
    private readonly bool _ownsAudit;

    private HilRig(HilRigOptions options)
    {
        _options = options;
        Users = options.Users ?? DefaultUsers();
        AuditPath = options.AuditPath ?? Path.Combine(Path.GetTempPath(), "metai-hil-audit-" + Guid.NewGuid().ToString("N")[..12] + ".jsonl");
        _ownsAudit = options.AuditPath is null;
        Topics = new MqttTopics(options.Robot.Name);
    }

    /// <summary>Accounts: controller, master1, operator, observer, estop, linac, patient.</summary>
    public static IReadOnlyList<RigUser> DefaultUsers() =>
    [
        .. RigUser.Generate(),
        new("estop", MqttRole.EStopButton, MqttUser.RandomPassword()),
        new("linac", MqttRole.Linac, MqttUser.RandomPassword()),
        new("patient", MqttRole.PatientMonitor, MqttUser.RandomPassword()),
    ];

    /// <summary>Accounts in use.</summary>
    public IReadOnlyList<RigUser> Users { get; }

    /// <summary>The robot.</summary>
    public RobotModel Robot => _options.Robot;

    /// <summary>Options.</summary>
    public HilRigOptions Options => _options;

    /// <summary>Topics of the robot.</summary>
    public MqttTopics Topics { get; }

    /// <summary>The embedded broker (null with an external one).</summary>
    public EmbeddedBroker? Broker { get; private set; }

    /// <summary>The fault proxy every client connects through.</summary>
    public MqttFaultProxy Proxy { get; private set; } = null!;

    /// <summary>Which faults are on now, so that overlapping ones of one kind merge (<see cref="FaultInjector"/>).</summary>
    internal FaultOverlaps Overlaps { get; } = new();

    /// <summary>The servo chain twin.</summary>
    public ServoChainTwin Servos { get; private set; } = null!;

    /// <summary>The controller.</summary>
    public ControllerHost Controller { get; private set; } = null!;

    /// <summary>The haptic master twin.</summary>
    public HapticMasterTwin Master { get; private set; } = null!;

    /// <summary>The e-stop button twin.</summary>
    public EStopButtonTwin EStop { get; private set; } = null!;

    /// <summary>The operator console.</summary>
    public OperatorConsoleClient Operator { get; private set; } = null!;

    /// <summary>The linac twin (radiotherapy rigs).</summary>
    public LinacTwin? Linac { get; private set; }

    /// <summary>The patient-motion twin (radiotherapy rigs).</summary>
    public PatientMotionTwin? Patient { get; private set; }

    /// <summary>Every audit event of the controller, in memory.</summary>
    public AuditRecorder AuditTap { get; } = new();

    /// <summary>The audit log file.</summary>
    public string AuditPath { get; }

    /// <summary>Master stylus pose aligned with the slave's home orientation.</summary>
    public Pose MasterHome { get; private set; }

    /// <summary>Attempts the last <see cref="BringToAsync"/> needed (more than 1: load on the machine tripped something on the way).</summary>
    public int LastSetupAttempts { get; private set; }

    /// <summary>Starts everything.</summary>
    public static async Task<HilRig> StartAsync(HilRigOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rig = new HilRig(options);
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
        string upstreamHost = "127.0.0.1";
        int upstreamPort;
        if (_options.ExternalBroker is { } external)
        {
            (upstreamHost, upstreamPort) = external;
        }
        else
        {
            Broker = new EmbeddedBroker(new EmbeddedBrokerOptions
            {
                Robot = Robot.Name,
                Users = [.. Users.Select(u => MqttUser.Create(u.Name, u.Role, u.Password))],
            });
            await Broker.StartAsync(cancellationToken).ConfigureAwait(false);
            upstreamPort = Broker.Port;
        }

        Proxy = new MqttFaultProxy(upstreamHost, upstreamPort, _options.Seed);
        Proxy.Start();

        double countsPerRad = Robot.Servo.CountsPerRad;
        Servos = new ServoChainTwin(new ServoChainOptions
        {
            Servos = [.. Robot.Joints.Select(j => new ServoTwinOptions
            {
                Id = j.ServoId,
                InitialPositionCounts = Robot.Servo.ToCounts(0, j),
                TimeConstantS = _options.Servos.TimeConstantMs / 1000,
                MaxAccelerationCountsPerS2 = _options.Servos.AccelerationRadS2 * countsPerRad,
                EncoderNoiseCounts = _options.Servos.EncoderNoiseCounts,
                NoiseSeed = _options.Seed,
            })],
        });
        Servos.Start();

        Controller = new ControllerHost(new ControllerHostOptions
        {
            Robot = Robot,
            Bus = new DynamixelBusOptions { PortName = Servos.SlavePath, ReplyTimeoutMs = _options.ReplyTimeoutMs, Retries = _options.Retries },
            Broker = Endpoint("controller"),
            MasterId = "master1",
            Controller = _options.Controller,
            Teleop = _options.Teleop,
            ServoIo = _options.ServoIo,
            Corridor = _options.Corridor,
            AuditPath = AuditPath,
            AuditTap = AuditTap,
            Beam = _options.Linac is null ? null : _options.Beam ?? new Robotics.Radiotherapy.BeamGateOptions(),
            Unsafe = _options.Unsafe,
        });
        await Controller.StartAsync(cancellationToken).ConfigureAwait(false);

        Quat slaveHome = Robot.ForwardKinematics(Robot.HomeRad).Orientation;
        MasterHome = new Pose(Vec3.Zero, (_options.Teleop.MasterToRobot.Conjugate() * slaveHome).Normalized());
        Master = new HapticMasterTwin(new HapticMasterOptions { Broker = Endpoint("master1"), Robot = Robot.Name, InitialPose = MasterHome, SpinMarginUs = _options.MasterSpinMarginUs });
        await Master.StartAsync(cancellationToken).ConfigureAwait(false);
        EStop = new EStopButtonTwin(Endpoint("estop"), Robot.Name);
        await EStop.StartAsync(cancellationToken).ConfigureAwait(false);
        Operator = new OperatorConsoleClient(Endpoint("operator"), Robot.Name);
        await Operator.StartAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Endpoint (through the proxy) for one of the rig's users.</summary>
    public MqttEndpoint Endpoint(string user) => new()
    {
        Host = "127.0.0.1",
        Port = Proxy.Port,
        UserName = user,
        Password = Users.First(u => u.Name == user).Password,
    };

    /// <summary>Current controller state.</summary>
    public SafetyState State => Controller.State;

    /// <summary>
    /// Brings the controller to <paramref name="start"/> with operator commands over MQTT (Enable → Home → StartTeleop),
    /// recovering and retrying when load on a shared machine tripped an unrelated interlock on the way.
    /// </summary>
    public async Task BringToAsync(ScenarioStart start, CancellationToken cancellationToken = default)
    {
        await WaitUntilAsync(() => Controller.Inputs.Heartbeats > 0 && Operator.IsConnected
            && (Linac is null || Controller.Inputs.Linac.ReceivedTicks != 0), TimeSpan.FromSeconds(10), "devices connected", cancellationToken).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            LastSetupAttempts = attempt;
            try
            {
                await BringToOnceAsync(start, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TimeoutException) when (attempt < 4)
            {
                await RecoverAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task BringToOnceAsync(ScenarioStart start, CancellationToken cancellationToken)
    {
        if (start == ScenarioStart.Disabled)
        {
            if (State != SafetyState.Disabled)
            {
                await RecoverAsync(cancellationToken).ConfigureAwait(false);
            }

            await ExpectAsync(SafetyState.Disabled, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (State is SafetyState.Disabled)
        {
            await CommandAsync(ControllerCommandKind.Enable, SafetyState.Enabled, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }

        if (start == ScenarioStart.Enabled)
        {
            await ExpectAsync(SafetyState.Enabled, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (State is SafetyState.Enabled or SafetyState.Ready)
        {
            await CommandAsync(ControllerCommandKind.Home, SafetyState.Ready, TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
        }

        await ExpectAsync(SafetyState.Ready, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        if (start == ScenarioStart.Following)
        {
            await CommandAsync(ControllerCommandKind.StartTeleop, SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CommandAsync(ControllerCommandKind kind, SafetyState expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Operator.Send(kind, acknowledge: kind == ControllerCommandKind.Reset);
        await ExpectAsync(expected, timeout, cancellationToken).ConfigureAwait(false);
    }

    // Waits for a state of the set-up path; gives up at once when the controller stopped instead (a spurious hold or
    // fault under load), so the caller recovers without waiting out the timeout.
    private async Task ExpectAsync(SafetyState expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            SafetyState s = State;
            if (s == expected)
            {
                return;
            }

            if (s is SafetyState.Fault or SafetyState.EStop || (s == SafetyState.Paused && expected != SafetyState.Paused) || sw.Elapsed > timeout)
            {
                string why = Controller.Servo.PowerUpFailure is { Length: > 0 } f ? "; last power-up failure: " + f : "";
                var (cycle, _, state, interlocks) = Controller.Core.LastStopTransition;
                throw new TimeoutException($"expected {expected}, controller is in {s} (interlocks {Controller.Core.LastInterlocks}; last stop: {state} in cycle {cycle} with {interlocks}{why})");
            }

            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>From any state back to Disabled: acknowledged reset of a latched state, else Disable.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < 5 && State != SafetyState.Disabled; i++)
        {
            Operator.Send(State is SafetyState.Fault or SafetyState.EStop ? ControllerCommandKind.Reset : ControllerCommandKind.Disable, acknowledge: true);
            await Controller.WaitForStateAsync(SafetyState.Disabled, TimeSpan.FromMilliseconds(600), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Between two runs on one rig: every fault hook cleared (proxy rules, serial faults, servo faults, master, e-stop,
    /// linac, patient), the broker running, and the controller back to Disabled.
    /// </summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        Proxy.ClearRules();
        Servos.ClearFaults();
        foreach (XmServoTwin s in Servos.Servos)
        {
            s.Stick(false);
            s.SetResponding(true);
            s.SetEncoderNoise(_options.Servos.EncoderNoiseCounts);
            if (s.HardwareError != 0)
            {
                s.SetHardwareError(0);
            }
        }

        Master.ResetForRun(MasterHome);

        // Always say "released": a malformed message may have left the controller believing it pressed.
        EStop.Set(false);

        Linac?.ResetForRun();
        Patient?.ResetForRun();
        if (Broker is { IsRunning: false })
        {
            await Broker.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await WaitUntilAsync(() => Controller.Link.IsConnected && Master.IsConnected && Operator.IsConnected && EStop.IsConnected,
            TimeSpan.FromSeconds(10), "clients reconnected", cancellationToken).ConfigureAwait(false);
        await WaitUntilAsync(() => !Controller.Inputs.EStopPressed, TimeSpan.FromSeconds(5), "e-stop released", cancellationToken).ConfigureAwait(false);
        await RecoverAsync(cancellationToken).ConfigureAwait(false);
        _ = AuditTap.Drain();
        _ = Servos.DrainEvents();
        _ = Proxy.DrainTrace();
        _ = Master.DrainForces();
        _ = Patient?.Drain();
    }

    /// <summary>Stops the embedded broker for <paramref name="down"/>, then starts it again on the same port.</summary>
    public async Task RestartBrokerAsync(TimeSpan down, CancellationToken cancellationToken = default)
    {
        EmbeddedBroker broker = Broker ?? throw new InvalidOperationException("brokerRestart needs the embedded broker (not --broker).");
        await broker.StopAsync(cancellationToken).ConfigureAwait(false);
        Proxy.Disconnect(null);
        await Task.Delay(down, cancellationToken).ConfigureAwait(false);
        await broker.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls every 2 ms; throws a <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:F1} s for {what}");
            }

            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops every device, the controller (torque off), the servo chain, the proxy and the broker.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Patient is not null)
        {
            await Patient.DisposeAsync().ConfigureAwait(false);
        }

        if (Linac is not null)
        {
            await Linac.DisposeAsync().ConfigureAwait(false);
        }

        if (Operator is not null)
        {
            await Operator.DisposeAsync().ConfigureAwait(false);
        }

        if (EStop is not null)
        {
            await EStop.DisposeAsync().ConfigureAwait(false);
        }

        if (Master is not null)
        {
            await Master.DisposeAsync().ConfigureAwait(false);
        }

        if (Controller is not null)
        {
            await Controller.DisposeAsync().ConfigureAwait(false);
        }

        Servos?.Dispose();
        Overlaps.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync().ConfigureAwait(false);
        }

        if (_ownsAudit)
        {
            try
            {
                File.Delete(AuditPath);
            }
            catch (IOException)
            {
            }
        }
    }
}
