namespace MeTAI.Robotics.Safety;

/// <summary>States of the arm's safety supervisor (dVRK arm state machine, ros2_control lifecycle).</summary>
public enum SafetyState
{
    /// <summary>Torque off, nothing moves. The state after start-up and after an acknowledged reset.</summary>
    Disabled,

    /// <summary>Pinging the servos, arming their bus watchdog, enabling torque at the present position.</summary>
    Powering,

    /// <summary>Torque on and holding; not yet homed.</summary>
    Enabled,

    /// <summary>Moving to the home pose at limited joint speed (hold-to-run: deadman held).</summary>
    Homing,

    /// <summary>Homed and holding; teleoperation or a trajectory may start.</summary>
    Ready,

    /// <summary>Superstate of teleoperation; the machine rests in one of its substates.</summary>
    Teleoperating,

    /// <summary>Teleoperation: waiting for master and slave orientations to agree (5°, 2° after a clutch).</summary>
    Aligning,

    /// <summary>Teleoperation: the slave follows the master (scaled, filtered, limited, held in the corridor).</summary>
    Following,

    /// <summary>Teleoperation: clutch pressed; the slave holds while the master is re-indexed.</summary>
    Clutched,

    /// <summary>Executing a joint-space move at limited speed (hold-to-run: deadman held).</summary>
    ExecutingTrajectory,

    /// <summary>Holding position after a hold-class interlock; leaves with Resume once every interlock is clear.</summary>
    Paused,

    /// <summary>Latched fault: torque off; leaves only with an acknowledged Reset once the fault condition is clear.</summary>
    Fault,

    /// <summary>Latched emergency stop: torque off; leaves only with an acknowledged Reset once the e-stop is released.</summary>
    EStop,
}
