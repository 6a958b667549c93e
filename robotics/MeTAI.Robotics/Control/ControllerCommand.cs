using MeTAI.Core.Geometry;

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

    /// <summary>Target tool pose for <see cref="ControllerCommandKind.MoveToPose"/> (robot base frame, m).</summary>
    public Pose? TargetPose { get; init; }

    /// <summary>Beam armed by <see cref="ControllerCommandKind.MoveToPose"/> (RT beam number; 0: none).</summary>
    public int Beam { get; init; }
}
