using MeTAI.Core.Trajectories;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;
using MeTAI.Robotics.Transport;

namespace MeTAI.Robotics.Hosting;

/// <summary>Everything a running controller needs; validated once by <see cref="ControllerHost"/>.</summary>
public sealed class ControllerHostOptions
{
    /// <summary>The arm.</summary>
    public required RobotModel Robot { get; init; }

    /// <summary>Serial bus (port name, baud, timeouts).</summary>
    public required DynamixelBusOptions Bus { get; init; }

    /// <summary>Broker endpoint and the controller's credentials.</summary>
    public required MqttEndpoint Broker { get; init; }

    /// <summary>The registered haptic master's ID (its broker user name).</summary>
    public string MasterId { get; init; } = "master1";

    /// <summary>Loop and interlock settings.</summary>
    public ControllerOptions Controller { get; init; } = new();

    /// <summary>Teleoperation settings.</summary>
    public TeleopOptions Teleop { get; init; } = new();

    /// <summary>Servo IO settings.</summary>
    public ServoIoOptions ServoIo { get; init; } = new();

    /// <summary>IK settings.</summary>
    public IkOptions Ik { get; init; } = new();

    /// <summary>Rehearsal corridor (patient LPS mm) for the virtual fixture; none disables it.</summary>
    public Corridor? Corridor { get; init; }

    /// <summary>Audit log file; none disables the audit (tests only).</summary>
    public string? AuditPath { get; init; }

    /// <summary>
    /// Receives every audit event of the control core as it is written (an in-process observer such as the HIL
    /// recorder); must not block. Independent of <see cref="AuditPath"/>.
    /// </summary>
    public IAuditSink? AuditTap { get; init; }

    /// <summary>Radiotherapy beam gate (beam permit to the linac, no motion under beam); none: no linac attached.</summary>
    public BeamGateOptions? Beam { get; init; }

    /// <summary>
    /// Bytes of a no-GC region to open while the arm is still (<see cref="NoGcRegionSteward"/>), or null (off). The
    /// region is the process's: set it only where the process holds one controller (<c>metai control</c>,
    /// <c>metai bench control</c>), never in test hosts that run several.
    /// </summary>
    public long? NoGcRegionBytes { get; init; }

    /// <summary>Test-only switches that remove safety functions (HIL negative tests); never set by the CLI.</summary>
    internal UnsafeTestOptions? Unsafe { get; init; }

    /// <summary>Throws when something is missing or out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Robot);
        ArgumentNullException.ThrowIfNull(Bus);
        ArgumentNullException.ThrowIfNull(Broker);
        ArgumentException.ThrowIfNullOrWhiteSpace(MasterId);
        Bus.Validate();
        Controller.Validate();
        Teleop.Validate();
        ServoIo.Validate();
        Ik.Validate();
        Beam?.Validate();
        if (NoGcRegionBytes is < 1L << 20)
        {
            throw new ArgumentException("NoGcRegionBytes must be at least 1 MiB.");
        }
    }
}
