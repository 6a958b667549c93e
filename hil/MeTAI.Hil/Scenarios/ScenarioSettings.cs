using MeTAI.Core.Geometry;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Hil.Scenarios;

/// <summary>Controller settings a scenario may override (null: the controller's default).</summary>
public sealed record ControllerSettings
{
    /// <summary>Haptic heartbeat watchdog (ms).</summary>
    public double? HeartbeatWatchdogMs { get; init; }

    /// <summary>Master pose watchdog (ms).</summary>
    public double? PoseWatchdogMs { get; init; }

    /// <summary>Servo feedback timeout (ms).</summary>
    public double? ServoTimeoutMs { get; init; }

    /// <summary>Tracking-error look-back (ms).</summary>
    public double? TrackingLagMs { get; init; }

    /// <summary>Serial reply timeout (ms).</summary>
    public int? ReplyTimeoutMs { get; init; }

    /// <summary>Serial retries.</summary>
    public int? Retries { get; init; }

    /// <summary>Servo bus watchdog armed at power-up (ms, multiple of 20).</summary>
    public int? BusWatchdogMs { get; init; }
}

/// <summary>The corridor for the virtual fixture: a rehearsal corridor file, or one around the home tool pose.</summary>
public sealed record CorridorSpec
{
    /// <summary>Corridor JSON (CorridorJson, patient LPS mm), resolved against the scenario file.</summary>
    public string? File { get; init; }

    /// <summary>Radius of a corridor around home (mm).</summary>
    public double RadiusMm { get; init; } = 5;

    /// <summary>Corridor around home: length behind the tip (mm).</summary>
    public double BackMm { get; init; } = 20;

    /// <summary>Corridor around home: length ahead of the tip (mm).</summary>
    public double ForwardMm { get; init; } = 60;
}

/// <summary>The radiotherapy set-up: the plan, the treatment-room registration and the beam gate tolerances.</summary>
public sealed record RadiotherapySettings
{
    /// <summary>RTPLAN file (read by the CLI; Hil cannot read DICOM), resolved against the scenario file.</summary>
    public string? PlanPath { get; init; }

    /// <summary>Beams listed in the scenario (used when there is no plan file, or given by the caller).</summary>
    public IReadOnlyList<BeamPose> Beams { get; init; } = [];

    /// <summary>Where the plan isocentre lies in the robot frame (m).</summary>
    public Vec3 IsocenterRobotM { get; init; }

    /// <summary>Patient LPS → robot rotation.</summary>
    public Mat3 Rotation { get; init; } = Mat3.Identity;

    /// <summary>Tool tip to isocentre (mm).</summary>
    public double StandoffMm { get; init; } = 60;

    /// <summary>Beam gate: pose tolerance (mm).</summary>
    public double PoseToleranceMm { get; init; } = 1;

    /// <summary>Beam gate: patient tolerance (mm).</summary>
    public double PatientToleranceMm { get; init; } = 3;

    /// <summary>Largest MU delivered per beam in HIL (scenario time is short); null: the plan's MU.</summary>
    public double? MaxMuPerBeam { get; init; }
}
