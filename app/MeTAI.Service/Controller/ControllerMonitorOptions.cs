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

    /// <summary>
    /// Key file of the browser console's short-lived master credentials (<c>metai serve --teleop-key FILE</c>; created
    /// if missing): the controller's broker must check tokens with the same file (<c>metai control --teleop-key FILE</c>).
    /// Null (the default): no console credential is issued.
    /// </summary>
    public string? TeleopKeyFile { get; set; }

    /// <summary>The master ID the console's credentials are for: the controller's registered master (<c>metai control --master</c>).</summary>
    public string TeleopMaster { get; set; } = "master1";

    /// <summary>Seconds a console credential is good for (to connect; a connected session outlives it), 10–3600.</summary>
    public int TeleopCredentialSeconds { get; set; } = 300;

    /// <summary>Sim mode: walk the simulated arm through Enable → Home to Ready after start (false: stay Disabled).</summary>
    public bool SimBringUp { get; set; } = true;
}
