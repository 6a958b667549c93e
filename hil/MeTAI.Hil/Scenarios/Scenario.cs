using MeTAI.Simulation;

namespace MeTAI.Hil.Scenarios;

/// <summary>
/// A HIL scenario (configs/hil/*.yaml): the devices and controller settings, the stimuli timeline, the fault schedule
/// and the assertions that judge the recorded trace. Times are scenario seconds from the moment the rig reached
/// <see cref="Start"/>.
/// </summary>
public sealed record Scenario
{
    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>What it shows, in words.</summary>
    public string Description { get; init; } = "";

    /// <summary>The file it came from (or a label).</summary>
    public string Source { get; init; } = "";

    /// <summary>Seed of everything random in the run (MQTT loss draws, encoder noise).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Scenario length (s).</summary>
    public required double DurationS { get; init; }

    /// <summary>State reached before time 0.</summary>
    public ScenarioStart Start { get; init; } = ScenarioStart.Following;

    /// <summary>Robot file (absolute).</summary>
    public required string RobotPath { get; init; }

    /// <summary>Controller overrides.</summary>
    public ControllerSettings Controller { get; init; } = new();

    /// <summary>Servo twins.</summary>
    public ServoSettings Servos { get; init; } = new();

    /// <summary>Corridor for the fixture (none: no fixture).</summary>
    public CorridorSpec? Corridor { get; init; }

    /// <summary>Motion the master plays from time 0 (none: it holds still).</summary>
    public MotionSpec? MasterMotion { get; init; }

    /// <summary>Linac twin (none: no linac, no beam gate).</summary>
    public LinacSettings? Linac { get; init; }

    /// <summary>Patient-motion twin (none: no patient monitor).</summary>
    public PatientSettings? Patient { get; init; }

    /// <summary>Radiotherapy plan and registration.</summary>
    public RadiotherapySettings? Radiotherapy { get; init; }

    /// <summary>Stimuli.</summary>
    public IReadOnlyList<TimelineStep> Timeline { get; init; } = [];

    /// <summary>Faults.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];

    /// <summary>Assertions.</summary>
    public IReadOnlyList<AssertionSpec> Assertions { get; init; } = [];
}
