using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Scenarios;

/// <summary>One assertion of a scenario with its parameters (unused ones keep their defaults).</summary>
public sealed record AssertionSpec
{
    /// <summary>Identifier (reports, JUnit test case name).</summary>
    public required string Id { get; init; }

    /// <summary>Kind.</summary>
    public required AssertionKind Kind { get; init; }

    /// <summary>A safety assertion: breaking it is a violation (campaigns count these).</summary>
    public bool Safety { get; init; }

    /// <summary>What it claims, in words (from the file, or generated).</summary>
    public string Description { get; init; } = "";

    /// <summary>Fault the assertion is about.</summary>
    public string? Fault { get; init; }

    /// <summary>States.</summary>
    public IReadOnlyList<SafetyState> States { get; init; } = [];

    /// <summary>Interlock.</summary>
    public Interlocks? Interlock { get; init; }

    /// <summary>Time bound (ms, on the controller's clock).</summary>
    public double? WithinMs { get; init; }

    /// <summary>Bound in control cycles.</summary>
    public int? WithinCycles { get; init; }

    /// <summary>Bound until the bus shows it (ms).</summary>
    public double? BusWithinMs { get; init; }

    /// <summary>Tolerance (mm).</summary>
    public double ToleranceMm { get; init; }

    /// <summary>Orientation tolerance (degrees).</summary>
    public double ToleranceDeg { get; init; } = 1;

    /// <summary>Reaction allowance (ms).</summary>
    public double GraceMs { get; init; } = 150;

    /// <summary>Bus frames allowed after a transition before the hold must be still.</summary>
    public int GraceFrames { get; init; } = 3;

    /// <summary>Margin (rad).</summary>
    public double MarginRad { get; init; }

    /// <summary>Speed margin (rad/s).</summary>
    public double MarginRadS { get; init; } = 0.3;

    /// <summary>Speed below which the arm counts as stationary (rad/s).</summary>
    public double StationaryRadS { get; init; } = 0.1;

    /// <summary>Patient tolerance (mm).</summary>
    public double PatientToleranceMm { get; init; } = 3;

    /// <summary>Minimum force (N).</summary>
    public double MinN { get; init; } = 0.1;

    /// <summary>Latency bound (ms).</summary>
    public double P99Ms { get; init; } = 50;

    /// <summary>Scenario time (s).</summary>
    public double AtS { get; init; }

    /// <summary>MU tolerance.</summary>
    public double MuTolerance { get; init; } = 0.5;

    /// <summary>Minimum count.</summary>
    public int Min { get; init; } = 1;

    /// <summary>Skip the check during injected faults (corridor).</summary>
    public bool ExceptDuringFaults { get; init; } = true;

    /// <summary>
    /// Reaction: a latched stop (Fault/EStop) for another cause, reached within the bound before the expected interlock
    /// could be raised, also satisfies the claim (campaigns, where faults overlap).
    /// </summary>
    public bool AllowPreemption { get; init; }

    /// <summary>The beam must come back on after the hold.</summary>
    public bool Resumes { get; init; } = true;

    /// <summary>Default safety classification of a kind.</summary>
    public static bool IsSafetyKind(AssertionKind kind) => kind is AssertionKind.Reaction or AssertionKind.TorqueOff or AssertionKind.JointLimits
        or AssertionKind.HoldStill or AssertionKind.LatchedTorqueOff or AssertionKind.Corridor or AssertionKind.GoalSteps
        or AssertionKind.BeamOnlyWhen or AssertionKind.BeamHold;
}
