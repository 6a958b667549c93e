using MeTAI.Core.Trajectories;
using MeTAI.Hil.Bench;
using MeTAI.Hil.Scenarios;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;
using MeTAI.Robotics.Teleoperation;

namespace MeTAI.Hil.Runner;

/// <summary>What a <see cref="HilRig"/> starts.</summary>
public sealed class HilRigOptions
{
    /// <summary>The arm.</summary>
    public required RobotModel Robot { get; init; }

    /// <summary>Loop and interlock settings.</summary>
    public ControllerOptions Controller { get; init; } = new();

    /// <summary>Spin margin (µs) of the haptic master's publisher.</summary>
    public double MasterSpinMarginUs { get; init; } = 200;

    /// <summary>Teleoperation settings.</summary>
    public TeleopOptions Teleop { get; init; } = new();

    /// <summary>Servo IO settings.</summary>
    public ServoIoOptions ServoIo { get; init; } = new();

    /// <summary>Serial reply timeout (ms).</summary>
    public int ReplyTimeoutMs { get; init; } = 10;

    /// <summary>Serial retries.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Corridor (patient LPS mm) for the fixture.</summary>
    public Corridor? Corridor { get; init; }

    /// <summary>Servo twins.</summary>
    public ServoSettings Servos { get; init; } = new();

    /// <summary>Linac twin and beam gate (none: no linac).</summary>
    public LinacSettings? Linac { get; init; }

    /// <summary>Beam gate settings (with a linac).</summary>
    public BeamGateOptions? Beam { get; init; }

    /// <summary>Patient-motion twin (none: no monitor).</summary>
    public PatientSettings? Patient { get; init; }

    /// <summary>External broker that already knows <see cref="Users"/>; none: the embedded broker.</summary>
    public (string Host, int Port)? ExternalBroker { get; init; }

    /// <summary>Accounts (plain passwords); none generates them.</summary>
    public IReadOnlyList<RigUser>? Users { get; init; }

    /// <summary>Audit log file; none: a temporary file.</summary>
    public string? AuditPath { get; init; }

    /// <summary>Seed (proxy draws, encoder noise).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Test-only switches that remove a safety function from the controller (negative tests).</summary>
    internal UnsafeTestOptions? Unsafe { get; init; }
}
