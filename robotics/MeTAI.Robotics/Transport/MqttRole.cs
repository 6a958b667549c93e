namespace MeTAI.Robotics.Transport;

/// <summary>What a broker user may do (docs/mqtt-topics.md, ACL table).</summary>
public enum MqttRole
{
    /// <summary>The controller: the only publisher of state, telemetry, force and servo commands.</summary>
    Controller,

    /// <summary>A registered haptic master: publishes its own pose and heartbeat, and e-stop.</summary>
    Master,

    /// <summary>An operator console: publishes commands and e-stop; reads status.</summary>
    Operator,

    /// <summary>Read-only monitor.</summary>
    Observer,

    /// <summary>A linac's beam interface: publishes its beam status, reads the beam permit.</summary>
    Linac,

    /// <summary>A patient-motion source (surface or breathing monitor): publishes the target's displacement.</summary>
    PatientMonitor,

    /// <summary>A stand-alone e-stop button: publishes the e-stop state only.</summary>
    EStopButton,
}
