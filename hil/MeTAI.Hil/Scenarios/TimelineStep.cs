using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Scenarios;

/// <summary>What a timeline step does.</summary>
public enum StepKind
{
    /// <summary>An operator command over MQTT.</summary>
    Command,

    /// <summary>Play a master motion.</summary>
    Master,

    /// <summary>Press or release the clutch.</summary>
    Clutch,

    /// <summary>Press or release the deadman.</summary>
    Deadman,

    /// <summary>Press or release the e-stop button.</summary>
    EStop,

    /// <summary>Wait (blocking the timeline) until the controller is in one of the states.</summary>
    WaitFor,

    /// <summary>Deliver the plan: for each beam, move to its pose, then let the linac deliver its MU.</summary>
    DeliverPlan,
}

/// <summary>One stimulus of the timeline.</summary>
public sealed record TimelineStep
{
    /// <summary>Scenario time (s).</summary>
    public required double AtS { get; init; }

    /// <summary>Kind.</summary>
    public required StepKind Kind { get; init; }

    /// <summary>Command.</summary>
    public ControllerCommandKind Command { get; init; }

    /// <summary>Joint targets for moveJoints.</summary>
    public IReadOnlyList<double>? JointRad { get; init; }

    /// <summary>Motion.</summary>
    public MotionSpec? Motion { get; init; }

    /// <summary>Pressed (clutch, deadman, e-stop).</summary>
    public bool Pressed { get; init; }

    /// <summary>States to wait for.</summary>
    public IReadOnlyList<SafetyState> States { get; init; } = [];

    /// <summary>Wait timeout (s).</summary>
    public double TimeoutS { get; init; } = 5;

    /// <summary>One line for reports.</summary>
    public string Describe() => Kind switch
    {
        StepKind.Command => "command " + Command + (JointRad is null ? "" : " [" + string.Join(", ", JointRad.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))) + "]"),
        StepKind.Master => "master " + Motion?.Kind,
        StepKind.Clutch => Pressed ? "clutch pressed" : "clutch released",
        StepKind.Deadman => Pressed ? "deadman held" : "deadman released",
        StepKind.EStop => Pressed ? "e-stop pressed" : "e-stop released",
        StepKind.WaitFor => "wait for " + string.Join("|", States),
        _ => "deliver plan",
    };
}
