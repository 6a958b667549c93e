using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Hil.Bench;

/// <summary>Options of a <see cref="ControlRig"/>.</summary>
public sealed class ControlRigOptions
{
    /// <summary>The arm.</summary>
    public required RobotModel Robot { get; init; }

    /// <summary>Corridor (patient LPS mm) for the fixture; none disables it.</summary>
    public Corridor? Corridor { get; init; }

    /// <summary>Loop settings.</summary>
    public ControllerOptions Controller { get; init; } = new();

    /// <summary>Servo IO settings.</summary>
    public ServoIoOptions ServoIo { get; init; } = new();

    /// <summary>Teleoperation settings.</summary>
    public TeleopOptions Teleop { get; init; } = new();

    /// <summary>Serial reply timeout (ms) and retries; the rig fills in the pty path.</summary>
    public int ReplyTimeoutMs { get; init; } = 10;

    /// <summary>Serial retries after a timeout.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Audit log path; none: no audit.</summary>
    public string? AuditPath { get; init; }

    /// <summary>
    /// External broker: host and port of a broker that already knows the rig's users (a Mosquitto started by a test
    /// with <see cref="ControlRig.Users"/>); none starts the embedded broker.
    /// </summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>
    /// The servo chain runs elsewhere (another process, see <see cref="ControlBenchDevices"/>): the pty path the
    /// controller opens. None starts the twin in this process.
    /// </summary>
    public string? ExternalServoPath { get; init; }

    /// <summary>The haptic master runs elsewhere (another process): none is started in this one.</summary>
    public bool ExternalMaster { get; init; }

    /// <summary>The controller's no-GC region while the arm is still (<see cref="NoGcRegionSteward"/>); none: off.</summary>
    public long? NoGcRegionBytes { get; init; }

    /// <summary>Users and passwords; none generates random ones (controller, master1, operator, observer).</summary>
    public IReadOnlyList<RigUser>? Users { get; init; }
}
