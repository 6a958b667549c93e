using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Hosting;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation;

/// <summary>What a <see cref="SimulatedRig"/> starts, and how (a record: a harness adds its parts with <c>with</c>).</summary>
public sealed record SimulatedRigOptions
{
    /// <summary>
    /// A rig for a shared, loaded machine (the service's simulated controller, tests that are not about timing): the
    /// controller's defaults except the timeouts that scheduling stalls of other processes alone would trip — heartbeat
    /// watchdog 400 ms, servo timeout 1 s, tracking lag 300 ms, the servos' bus watchdog 1 s, serial replies 150 ms with
    /// 3 retries, and the power relay's watchdog 1 s (T_relay 1.05 s: one Sync Read may wait 4 × 150 ms for a late reply,
    /// and the relay is fed from the same thread). Not timing evidence: the HIL scenarios and campaigns say which
    /// settings they prove.
    /// </summary>
    public static SimulatedRigOptions ForSharedMachine(RobotModel robot) => new()
    {
        Robot = robot,
        Controller = new ControllerOptions { HeartbeatWatchdogMs = 400, PoseWatchdogMs = 400, EStopWatchdogMs = 1000, ServoTimeoutMs = 1000, TrackingLagMs = 300 },
        ServoIo = new ServoIoOptions { BusWatchdog20Ms = 50, RelayOffMs = 1050 },
        PowerRelay = new PowerRelayOptions { FeedTimeoutMs = 1000 },
        ReplyTimeoutMs = 150,
        Retries = 3,
    };

    /// <summary>The arm.</summary>
    public required RobotModel Robot { get; init; }

    /// <summary>Corridor (patient LPS mm) for the fixture; none disables it.</summary>
    public Corridor? Corridor { get; init; }

    /// <summary>Loop and interlock settings.</summary>
    public ControllerOptions Controller { get; init; } = new();

    /// <summary>Servo IO settings.</summary>
    public ServoIoOptions ServoIo { get; init; } = new();

    /// <summary>
    /// The watchdog power relay board on the servo bus (its watchdog time; T_relay in <see cref="ServoIoOptions.RelayOffMs"/>
    /// must allow for it), or null: no board, and <see cref="ServoIoOptions.PowerRelayId"/> must be null too.
    /// </summary>
    public PowerRelayOptions? PowerRelay { get; init; } = new();

    /// <summary>Teleoperation settings.</summary>
    public TeleopOptions Teleop { get; init; } = new();

    /// <summary>Serial reply timeout (ms); the rig fills in the pty path.</summary>
    public int ReplyTimeoutMs { get; init; } = 10;

    /// <summary>Serial retries after a timeout.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Audit log path; none: no audit log file.</summary>
    public string? AuditPath { get; init; }

    /// <summary>Receives every audit event of the controller as it is written (an in-process recorder); none: no tap.</summary>
    public IAuditSink? AuditTap { get; init; }

    /// <summary>The controller's no-GC region while the arm is still (<see cref="NoGcRegionSteward"/>); none: off.</summary>
    public long? NoGcRegionBytes { get; init; }

    /// <summary>
    /// External broker: host and port of a broker that already knows the rig's users (a Mosquitto started by a test
    /// with <see cref="SimulatedRig.Users"/>); none starts the embedded broker.
    /// </summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>
    /// The servo chain runs elsewhere (another process): the pty path the controller opens. None starts the twin in
    /// this process.
    /// </summary>
    public string? ExternalServoPath { get; init; }

    /// <summary>The haptic master runs elsewhere (another process): none is started in this one.</summary>
    public bool ExternalMaster { get; init; }

    /// <summary>
    /// The embedded broker also admits masters with a short-lived token signed with this key (<see cref="EmbeddedBrokerOptions.MasterTokenKey"/>):
    /// the service's browser console, or the teleoperation benchmark through the service's WebSocket relay. Null: none.
    /// </summary>
    public byte[]? MasterTokenKey { get; init; }

    /// <summary>
    /// Users and passwords; none generates random ones (<see cref="RigUser.Generate"/>: controller, master1, operator,
    /// observer, and estop, linac, patient when the rig starts any of those twins).
    /// </summary>
    public IReadOnlyList<RigUser>? Users { get; init; }

    /// <summary>Physics of the servo twins; none: the twin's own defaults (<see cref="Serial.ServoTwinOptions"/>).</summary>
    public ServoSettings? Servos { get; init; }

    /// <summary>Seed of the twins' random draws (encoder noise).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Schedule the twins that stand for separate hardware (servo chain, haptic master's publisher) with SCHED_FIFO
    /// (<see cref="SimulatedRig.ServoTwinPriority"/>, <see cref="SimulatedRig.MasterTwinPriority"/>). Real servos and a
    /// real haptic device run on processors of their own; on a shared, loaded machine their twins were starved by other
    /// processes for longer than the 40 ms servo timeout (docs/safety.md, "Defaults on a shared machine"). Set the
    /// controller's own <see cref="ControllerOptions.UseRealtimeScheduling"/> and <see cref="ServoIoOptions.UseRealtimeScheduling"/>
    /// with it, as <c>metai control --rt</c> runs it. Needs CAP_SYS_NICE; falls back silently.
    /// </summary>
    public bool Realtime { get; init; }

    /// <summary>Spin margin (µs) of the haptic master's publisher.</summary>
    public double MasterSpinMarginUs { get; init; } = 200;

    /// <summary>
    /// Start the e-stop button twin (account <c>estop</c>; default on): the controller refuses power-up without an e-stop
    /// device heartbeating and latches EStop when it falls silent. Off only when the device runs elsewhere (another process).
    /// </summary>
    public bool EStopButton { get; init; } = true;

    /// <summary>Start an operator console client (account <c>operator</c>) that sends commands over MQTT.</summary>
    public bool OperatorConsole { get; init; }

    /// <summary>Linac twin (account <c>linac</c>); with one the controller gets a beam gate (<see cref="Beam"/>). None: no linac.</summary>
    public LinacSettings? Linac { get; init; }

    /// <summary>Beam gate settings with a linac; none: the gate's defaults.</summary>
    public BeamGateOptions? Beam { get; init; }

    /// <summary>Patient-motion twin (account <c>patient</c>); none: no monitor.</summary>
    public PatientSettings? Patient { get; init; }

    /// <summary>
    /// Where the rig's clients (controller and twins) connect, given the broker's host and port once it runs — a harness
    /// puts its fault proxy in between here. None: straight to the broker.
    /// </summary>
    public Func<string, int, (string Host, int Port)>? ClientRoute { get; init; }

    /// <summary>
    /// The last word on the controller's options before it starts (a test harness's switches); none: the options as the
    /// rig builds them.
    /// </summary>
    public Func<ControllerHostOptions, ControllerHostOptions>? ConfigureController { get; init; }

    /// <summary>True when the rig starts a twin beyond the controller's master and e-stop button (linac, patient motion).</summary>
    internal bool HasDeviceTwins => Linac is not null || Patient is not null;
}
