namespace MeTAI.Robotics.Control;

/// <summary>Operator commands (JSON <c>"command"</c> values in camelCase).</summary>
public enum ControllerCommandKind
{
    /// <summary>Power the arm.</summary>
    Enable,

    /// <summary>Orderly torque off.</summary>
    Disable,

    /// <summary>Go to the home pose.</summary>
    Home,

    /// <summary>Start teleoperation.</summary>
    StartTeleop,

    /// <summary>Stop teleoperation.</summary>
    StopTeleop,

    /// <summary>Move to <see cref="ControllerCommand.JointRad"/> at limited speed.</summary>
    MoveJoints,

    /// <summary>
    /// Move the tool to <see cref="ControllerCommand.TargetPose"/> (robot base frame; joint targets by IK, then a joint
    /// move at limited speed) and arm <see cref="ControllerCommand.Beam"/>: the beam permit for that beam is granted only
    /// while the arm rests at this pose.
    /// </summary>
    MoveToPose,

    /// <summary>Stop a joint move.</summary>
    StopTrajectory,

    /// <summary>Pause (hold).</summary>
    Pause,

    /// <summary>Resume after a pause (all interlocks clear).</summary>
    Resume,

    /// <summary>Reset a latched Fault/EStop; needs <see cref="ControllerCommand.Acknowledge"/>.</summary>
    Reset,
}
