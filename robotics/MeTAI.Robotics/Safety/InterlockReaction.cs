namespace MeTAI.Robotics.Safety;

/// <summary>What the supervisor does when an interlock becomes active.</summary>
public enum InterlockReaction
{
    /// <summary>Hold the present position with torque on (→ Paused); recoverable with Resume.</summary>
    Hold,

    /// <summary>Torque off and latch Fault; recoverable only by an acknowledged Reset.</summary>
    FaultTorqueOff,

    /// <summary>Torque off written on the bus at once and EStop latched; acknowledged Reset after release.</summary>
    EStopTorqueOff,
}
