namespace MeTAI.Robotics.Safety;

/// <summary>
/// Interlock conditions, one bit each, evaluated every control cycle. Any active bit stops motion at the
/// <see cref="ServoCommandGate"/>; <see cref="InterlockCatalog"/> gives each bit's reaction.
/// </summary>
[Flags]
public enum Interlocks : uint
{
    /// <summary>No interlock active.</summary>
    None = 0,

    /// <summary>E-stop input pressed (MQTT e-stop topic or a local input). Reaction: torque off, EStop latched.</summary>
    EStop = 1 << 0,

    /// <summary>No haptic-master heartbeat within the watchdog time (default 30 ms). Reaction: hold.</summary>
    HapticHeartbeat = 1 << 1,

    /// <summary>No valid servo reply within the servo timeout, or a servo's bus watchdog tripped. Reaction: fault.</summary>
    ServoBus = 1 << 2,

    /// <summary>A servo reports a hardware error (status alert bit / Hardware Error Status). Reaction: fault.</summary>
    ServoHardwareError = 1 << 3,

    /// <summary>The MQTT broker connection is lost. Reaction: hold.</summary>
    BrokerConnection = 1 << 4,

    /// <summary>A measured joint position is outside its limits (plus margin). Reaction: fault.</summary>
    JointPositionLimit = 1 << 5,

    /// <summary>A measured joint velocity exceeds its limit (plus margin). Reaction: fault.</summary>
    JointVelocityLimit = 1 << 6,

    /// <summary>|goal − measured| exceeds a joint's tracking tolerance while torque is on. Reaction: fault.</summary>
    TrackingError = 1 << 7,

    /// <summary>The tool (commanded or measured) is deeper outside the corridor than the hold depth. Reaction: hold.</summary>
    CorridorViolation = 1 << 8,

    /// <summary>The operator-present (deadman) input is released. Reaction: hold.</summary>
    DeadmanReleased = 1 << 9,

    /// <summary>
    /// Radiotherapy: the linac reports its beam on, has not confirmed beam off since the beam permit was withdrawn, or its
    /// status is stale (only when a beam gate is configured). Reaction: hold — the arm never moves under beam.
    /// </summary>
    BeamOn = 1 << 10,

    /// <summary>
    /// No master pose with a newer sequence number within the pose watchdog (default 30 ms), heartbeat or not: the pose
    /// stream (and the deadman bit it carries) is stale. Reaction: hold.
    /// </summary>
    MasterPoseStale = 1 << 11,

    /// <summary>
    /// The watchdog power relay disagrees with what the controller commands: while torque is on, servo power reads back
    /// off (the relay tripped: feed timeout or the wired e-stop loop) or its read-back is older than the servo timeout while the servos answer;
    /// in any state, power read on after the feed had stopped for T_relay (contacts welded). Reaction: fault; power-up
    /// is refused while it is raised.
    /// </summary>
    ServoPower = 1 << 12,

    /// <summary>
    /// No state with a newer sequence number from the e-stop device within the e-stop watchdog (default 250 ms): the
    /// software e-stop channel is dead (device silent, crashed or cut off), so a press would be lost. Reaction: torque
    /// off, EStop latched (in Disabled: power-up refused); reset only once the device heartbeats again.
    /// </summary>
    EStopDeviceSilent = 1 << 13,
}
