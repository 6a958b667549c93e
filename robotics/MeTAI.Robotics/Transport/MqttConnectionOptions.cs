using MQTTnet.Packets;

namespace MeTAI.Robotics.Transport;

/// <summary>Options of an <see cref="MqttConnection"/>; validated once, at construction.</summary>
public sealed class MqttConnectionOptions
{
    /// <summary>Broker, credentials and TLS (<see cref="MqttClientOptionsFactory"/>).</summary>
    public required MqttEndpoint Endpoint { get; init; }

    /// <summary>Topic filters subscribed to, in this order, on every connect (none: no subscription).</summary>
    public IReadOnlyList<MqttTopicFilter> Subscriptions { get; init; } = [];

    /// <summary>Wait before each reconnection try (the first one included).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Back-off: each failed try doubles the wait, up to this; null keeps <see cref="ReconnectDelay"/> between every try.
    /// </summary>
    public TimeSpan? MaxReconnectDelay { get; init; }

    /// <summary>Messages on the subscriptions.</summary>
    public MqttMessageHandler? OnMessage { get; init; }

    /// <summary>After every connect, once the subscriptions are in place (first connect and reconnections).</summary>
    public Action? OnConnected { get; init; }

    /// <summary>On every loss of the connection (and every refused connect), before any reconnection try.</summary>
    public Action? OnDisconnected { get; init; }

    /// <summary>A reconnection try failed (the broker is still away or refused); the next follows after the delay.</summary>
    public Action<Exception>? OnConnectFailed { get; init; }

    /// <summary>Throws when something is missing or out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        ArgumentNullException.ThrowIfNull(Subscriptions);
        if (ReconnectDelay < TimeSpan.Zero || (MaxReconnectDelay is { } max && max < ReconnectDelay))
        {
            throw new ArgumentException("ReconnectDelay must be ≥ 0 and MaxReconnectDelay, when set, at least ReconnectDelay.");
        }
    }
}
