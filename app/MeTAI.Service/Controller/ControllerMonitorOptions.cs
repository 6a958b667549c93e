namespace MeTAI.Service.Controller;

/// <summary>
/// The <c>Controller</c> configuration section: where the controller page's data comes from. <c>Mode</c>:
/// <c>none</c> (default), <c>sim</c> (the service starts a simulated rig: embedded broker, pty servo twin, haptic
/// master twin and the real controller, MeTAI.Simulation's <c>SimulatedRig</c>) or <c>mqtt</c> (subscribe to a running
/// controller's telemetry on <see cref="Broker"/> as an observer).
/// </summary>
public sealed class ControllerMonitorOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Controller";

    /// <summary>none, sim or mqtt.</summary>
    public string Mode { get; set; } = "none";

    /// <summary>Robot file (sim) — default configs/robots/metai-arm6.json.</summary>
    public string? RobotFile { get; set; }

    /// <summary>Robot name in the topics (mqtt mode), e.g. metai-arm6.</summary>
    public string Robot { get; set; } = "metai-arm6";

    /// <summary>mqtt://host:port or mqtts://host:port (mqtt mode).</summary>
    public string? Broker { get; set; }

    /// <summary>Broker user (an observer account is enough).</summary>
    public string User { get; set; } = "observer";

    /// <summary>Broker password (else the environment variable METAI_MQTT_PASSWORD).</summary>
    public string? Password { get; set; }

    /// <summary>Sim mode: walk the simulated arm through Enable → Home to Ready after start (false: stay Disabled).</summary>
    public bool SimBringUp { get; set; } = true;
}
