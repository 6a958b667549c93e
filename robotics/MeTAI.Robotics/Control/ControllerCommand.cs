namespace MeTAI.Robotics.Control;

/// <summary>An operator command as the loop receives it.</summary>
public sealed class ControllerCommand
{
    /// <summary>What to do.</summary>
    public required ControllerCommandKind Kind { get; init; }

    /// <summary>Explicit acknowledgement (required by <see cref="ControllerCommandKind.Reset"/>).</summary>
    public bool Acknowledge { get; init; }

    /// <summary>Who sent it (audit).</summary>
    public string Operator { get; init; } = "";

    /// <summary>Target joints for <see cref="ControllerCommandKind.MoveJoints"/> (rad).</summary>
    public IReadOnlyList<double>? JointRad { get; init; }
}
