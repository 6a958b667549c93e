namespace MeTAI.Robotics.Safety;

/// <summary>Triggers of the safety supervisor: operator commands, progress events and interlock reactions.</summary>
public enum SafetyTrigger
{
    /// <summary>Operator: power the arm (Disabled → Powering).</summary>
    Enable,

    /// <summary>IO: every servo answered and holds torque (Powering → Enabled).</summary>
    PowerReady,

    /// <summary>IO: power-up failed (Powering → Fault).</summary>
    PowerFailed,

    /// <summary>Operator: orderly torque off (→ Disabled).</summary>
    Disable,

    /// <summary>Operator: go to the home pose.</summary>
    Home,

    /// <summary>Loop: home pose reached (Homing → Ready).</summary>
    HomingDone,

    /// <summary>Operator: start teleoperation (Ready → Aligning).</summary>
    StartTeleop,

    /// <summary>Loop: master and slave orientations agree (Aligning → Following).</summary>
    Aligned,

    /// <summary>Master: clutch pressed (Following → Clutched).</summary>
    ClutchPressed,

    /// <summary>Master: clutch released (Clutched → Aligning).</summary>
    ClutchReleased,

    /// <summary>Operator: stop teleoperation (→ Ready).</summary>
    StopTeleop,

    /// <summary>Operator: execute a joint-space move (Ready → ExecutingTrajectory).</summary>
    StartTrajectory,

    /// <summary>Loop: the move reached its end (→ Ready).</summary>
    TrajectoryDone,

    /// <summary>Operator: stop the move (→ Ready).</summary>
    StopTrajectory,

    /// <summary>Operator: pause (→ Paused).</summary>
    Pause,

    /// <summary>Operator: resume after a pause once every interlock is clear (Paused → Ready).</summary>
    Resume,

    /// <summary>Supervisor: a hold-class interlock is active (→ Paused).</summary>
    InterlockHold,

    /// <summary>Supervisor: a fault-class interlock is active (→ Fault, torque off).</summary>
    InterlockFault,

    /// <summary>E-stop input pressed (→ EStop, torque off at once).</summary>
    EStopPressed,

    /// <summary>Operator: acknowledged reset of a latched Fault or EStop once its condition is clear (→ Disabled).</summary>
    Reset,
}
