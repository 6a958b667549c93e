using System.Text.Json;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Devices;

/// <summary>
/// Follows the controller's safety state from its retained state topic, as an observer does — for a controller in
/// another process, whose state nothing in this one can read directly.
/// </summary>
public sealed class ControllerStateMonitor(MqttEndpoint endpoint, string robot) : MqttDevice(endpoint, robot)
{
    private volatile string? _state;
    private volatile string? _interlocks;

    /// <summary>The last state the controller published, or null before the first.</summary>
    public SafetyState? State => _state is { } s && Enum.TryParse(s, out SafetyState state) ? state : null;

    /// <summary>The interlocks active with the last published state (the controller's own words), or null before the first.</summary>
    public string? Interlocks => _interlocks;

    /// <inheritdoc />
    protected override IEnumerable<string> Subscriptions => [Topics.State];

    /// <inheritdoc />
    protected override void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using JsonDocument doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.TryGetProperty("state", out JsonElement s) && s.ValueKind == JsonValueKind.String)
            {
                _interlocks = doc.RootElement.TryGetProperty("interlocks", out JsonElement i) ? i.GetString() : null;
                _state = s.GetString();
            }
        }
        catch (JsonException)
        {
            // Not a state message this monitor understands: the last known state stands.
        }
    }
}
