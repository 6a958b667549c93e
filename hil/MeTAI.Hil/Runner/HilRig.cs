using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Haptics;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Runner;

/// <summary>
/// The HIL's rig: a <see cref="SimulatedRig"/> (the controller and its device twins on real transports) with the
/// harness's parts added — the <see cref="MqttFaultProxy"/> that every client goes through to the broker, the e-stop
/// button and operator console twins, an in-memory audit recorder, and the controller's unsafe test switches of a
/// negative run. One rig can run many scenarios (<see cref="ResetAsync"/> between runs).
/// </summary>
public sealed class HilRig : IAsyncDisposable
{
    private readonly HilRigOptions _options;
    private readonly SimulatedRigOptions _rigOptions;
    private readonly bool _ownsAudit;

    private HilRig(HilRigOptions options)
    {
        _options = options;
        SimulatedRigOptions rig = options.Rig;
        AuditPath = rig.AuditPath ?? Path.Combine(Path.GetTempPath(), "metai-hil-audit-" + Guid.NewGuid().ToString("N")[..12] + ".jsonl");
        _ownsAudit = rig.AuditPath is null;
        _rigOptions = rig with
        {
            Users = rig.Users ?? DefaultUsers(),
            AuditPath = AuditPath,
            AuditTap = AuditTap,
            Servos = rig.Servos ?? new ServoSettings(),
            EStopButton = true,
            OperatorConsole = true,
            ClientRoute = RouteThroughProxy,
            ConfigureController = options.Unsafe is { } unsafeOptions ? o => WithUnsafe(o, unsafeOptions) : rig.ConfigureController,
        };
    }

    /// <summary>Accounts: controller, master1, operator, observer, estop, linac, patient.</summary>
    public static IReadOnlyList<RigUser> DefaultUsers() => RigUser.Generate(deviceTwins: true);

    /// <summary>The simulated rig under test.</summary>
    public SimulatedRig Sim { get; private set; } = null!;

    /// <summary>Accounts in use.</summary>
    public IReadOnlyList<RigUser> Users => _rigOptions.Users!;

    /// <summary>The robot.</summary>
    public RobotModel Robot => _rigOptions.Robot;

    /// <summary>Options.</summary>
    public HilRigOptions Options => _options;

    /// <summary>The servo twins' physics (the scenario's, or the defaults).</summary>
    public ServoSettings ServoSettings => _rigOptions.Servos!;

    /// <summary>Topics of the robot.</summary>
    public MqttTopics Topics => Sim.Topics;

    /// <summary>The embedded broker (null with an external one).</summary>
    public EmbeddedBroker? Broker => Sim.Broker;

    /// <summary>The fault proxy every client connects through.</summary>
    public MqttFaultProxy Proxy { get; private set; } = null!;

    /// <summary>
    /// True once a fault left the controller latched for the life of its process (welded relay contacts: every power-up
    /// refused until repaired): a campaign worker starts a fresh rig for its next run.
    /// </summary>
    public bool Spent { get; internal set; }

    /// <summary>Which faults are on now, so that overlapping ones of one kind merge (<see cref="FaultInjector"/>).</summary>
    internal FaultOverlaps Overlaps { get; } = new();

    /// <summary>The servo chain twin.</summary>
    public ServoChainTwin Servos => Sim.Servos;

    /// <summary>The controller.</summary>
    public ControllerHost Controller => Sim.Controller;

    /// <summary>The haptic master twin.</summary>
    public HapticMasterTwin Master => Sim.Master;

    /// <summary>The e-stop button twin.</summary>
    public EStopButtonTwin EStop => Sim.EStop!;

    /// <summary>The operator console.</summary>
    public OperatorConsoleClient Operator => Sim.Operator!;

    /// <summary>The linac twin (radiotherapy rigs).</summary>
    public LinacTwin? Linac => Sim.Linac;

    /// <summary>The patient-motion twin (radiotherapy rigs).</summary>
    public PatientMotionTwin? Patient => Sim.Patient;

    /// <summary>Every audit event of the controller, in memory.</summary>
    public AuditRecorder AuditTap { get; } = new();

    /// <summary>The audit log file.</summary>
    public string AuditPath { get; }

    /// <summary>Master stylus pose aligned with the slave's home orientation.</summary>
    public Pose MasterHome => Sim.MasterHome;

    /// <summary>Attempts the last <see cref="BringToAsync"/> needed (more than 1: load on the machine tripped something on the way).</summary>
    public int LastSetupAttempts { get; private set; }

    /// <summary>Starts everything.</summary>
    public static async Task<HilRig> StartAsync(HilRigOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var rig = new HilRig(options);
        try
        {
            rig.Sim = await SimulatedRig.StartAsync(rig._rigOptions, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (rig.Sim is null)
            {
                // The simulated rig has stopped what it started; the proxy and the audit file go too.
                await rig.DisposeAsync().ConfigureAwait(false);
            }
        }

        return rig;
    }

    // The simulated rig's broker is up: every client (the controller's too) goes through the fault proxy instead.
    private (string Host, int Port) RouteThroughProxy(string brokerHost, int brokerPort)
    {
        Proxy = new MqttFaultProxy(brokerHost, brokerPort, _rigOptions.Seed);
        Proxy.Start();
        return ("127.0.0.1", Proxy.Port);
    }

    /// <summary>The controller's options with one or more safety functions removed (a negative run); every other option kept.</summary>
    internal static ControllerHostOptions WithUnsafe(ControllerHostOptions options, UnsafeTestOptions unsafeOptions) => new()
    {
        Robot = options.Robot,
        Bus = options.Bus,
        Broker = options.Broker,
        MasterId = options.MasterId,
        Controller = options.Controller,
        Teleop = options.Teleop,
        ServoIo = options.ServoIo,
        Ik = options.Ik,
        Corridor = options.Corridor,
        AuditPath = options.AuditPath,
        AuditTap = options.AuditTap,
        Beam = options.Beam,
        NoGcRegionBytes = options.NoGcRegionBytes,
        Unsafe = unsafeOptions,
    };

    /// <summary>Endpoint (through the proxy) for one of the rig's users.</summary>
    public MqttEndpoint Endpoint(string user) => Sim.Endpoint(user);

    /// <summary>Current controller state.</summary>
    public SafetyState State => Controller.State;

    /// <summary>
    /// Brings the controller to <paramref name="start"/> with operator commands over MQTT (Enable → Home → StartTeleop),
    /// recovering and retrying when load on a shared machine tripped an unrelated interlock on the way.
    /// </summary>
    public async Task BringToAsync(ScenarioStart start, CancellationToken cancellationToken = default)
    {
        await SimulatedRig.WaitUntilAsync(() => Controller.Inputs.Heartbeats > 0 && Operator.IsConnected
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
            s.SetEncoderNoise(ServoSettings.EncoderNoiseCounts);
            if (s.HardwareError != 0)
            {
                s.SetHardwareError(0);
            }
        }

        Master.ResetForRun(MasterHome);

        // Always say "released" (a malformed message may have left the controller believing it pressed), and heartbeat.
        EStop.SetSilent(false);
        EStop.Set(false);

        Linac?.ResetForRun();
        Patient?.ResetForRun();
        if (Broker is { IsRunning: false })
        {
            await Broker.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await SimulatedRig.WaitUntilAsync(() => Controller.Link.IsConnected && Master.IsConnected && Operator.IsConnected && EStop.IsConnected,
            TimeSpan.FromSeconds(10), "clients reconnected", cancellationToken).ConfigureAwait(false);
        await SimulatedRig.WaitUntilAsync(() => !Controller.Inputs.EStopPressed, TimeSpan.FromSeconds(5), "e-stop released", cancellationToken).ConfigureAwait(false);
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

    /// <summary>Stops the simulated rig (twins, controller with torque off, servo chain, broker), then the proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Sim is not null)
        {
            await Sim.DisposeAsync().ConfigureAwait(false);
        }

        Overlaps.Dispose();
        if (Proxy is not null)
        {
            await Proxy.DisposeAsync().ConfigureAwait(false);
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
