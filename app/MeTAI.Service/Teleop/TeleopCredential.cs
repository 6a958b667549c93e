namespace MeTAI.Service.Teleop;

/// <summary>
/// <c>POST /api/teleop/credential</c>: a short-lived master credential for the controller's broker, reached through the
/// service's WebSocket relay. Connect with MQTT (3.1.1 or 5) over <see cref="WebSocketUrl"/> (subprotocol <c>mqtt</c>),
/// user name <see cref="MasterId"/>, password <see cref="Password"/>; the broker gives the account every master's ACL.
/// </summary>
public sealed record TeleopCredential
{
    /// <summary>Robot name (the topics' <c>{robot}</c>).</summary>
    public required string Robot { get; init; }

    /// <summary>The master ID: MQTT user name and client ID.</summary>
    public required string MasterId { get; init; }

    /// <summary>The signed token (the MQTT password); good to connect until <see cref="ExpiresUtc"/>.</summary>
    public required string Password { get; init; }

    /// <summary>When the token stops admitting new connections (a connected session goes on).</summary>
    public required DateTimeOffset ExpiresUtc { get; init; }

    /// <summary>Same-origin path of the MQTT-over-WebSocket relay, with the credential in its query.</summary>
    public required string WebSocketUrl { get; init; }

    /// <summary>The topics the master uses (docs/mqtt-topics.md).</summary>
    public required TeleopTopics Topics { get; init; }

    /// <summary>
    /// Stylus orientation (w, x, y, z, master base frame) aligned with the arm's home tool orientation: following
    /// starts only when the master's orientation agrees with the tool's within 5°, so a console without orientation
    /// input holds this one.
    /// </summary>
    public required IReadOnlyList<double> MasterOrientation { get; init; }

    /// <summary>Largest restoring force the controller sends (N), for the force display's scale.</summary>
    public required double MaxForceN { get; init; }
}

/// <summary>The topics of one master.</summary>
/// <param name="Pose">Publish: 76-byte poses.</param>
/// <param name="Heartbeat">Publish: 20-byte heartbeats.</param>
/// <param name="EStop">Publish: 12-byte e-stop states (QoS 1).</param>
/// <param name="Force">Subscribe: 44-byte restoring forces.</param>
/// <param name="State">Subscribe: the controller's state JSON (retained).</param>
/// <param name="ControllerHeartbeat">Subscribe: the controller's 20-byte heartbeat.</param>
public sealed record TeleopTopics(string Pose, string Heartbeat, string EStop, string Force, string State, string ControllerHeartbeat);
