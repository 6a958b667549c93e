using MeTAI.Robotics.Transport;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Simulation.Devices;

/// <summary>
/// Base of the simulated MQTT devices: one <see cref="MqttConnection"/> with its own broker account, reconnecting by
/// itself every 100 ms once started (the devices must survive a broker restart or a cut connection like real ones),
/// subscriptions renewed on every connect.
/// </summary>
public abstract class MqttDevice : IAsyncDisposable
{
    private readonly MqttEndpoint _endpoint;
    private MqttConnection? _connection;

    /// <summary>Creates the device for <paramref name="robot"/>'s topics.</summary>
    protected MqttDevice(MqttEndpoint endpoint, string robot)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        Topics = new MqttTopics(robot);
    }

    /// <summary>Topics of the robot.</summary>
    protected MqttTopics Topics { get; }

    /// <summary>True while connected.</summary>
    public bool IsConnected => _connection?.IsConnected ?? false;

    /// <summary>Topics to subscribe to (QoS 1) on every connect.</summary>
    protected virtual IEnumerable<string> Subscriptions => [];

    /// <summary>Connects (throws when refused) and starts the device.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _connection ??= new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = _endpoint,
            Subscriptions = [.. Subscriptions.Select(t => new MqttTopicFilter { Topic = t, QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce })],
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            OnMessage = OnMessage,
        });
        await _connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        OnStarted();
    }

    /// <summary>Called once connected the first time.</summary>
    protected virtual void OnStarted()
    {
    }

    /// <summary>A message on one of <see cref="Subscriptions"/> (MQTT thread; must not block).</summary>
    protected virtual void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
    }

    /// <summary>Publishes; false when not connected or the broker refused.</summary>
    protected bool Publish(string topic, byte[] payload, bool reliable = false) =>
        _connection is { } connection && connection.Publish(topic, payload, reliable: reliable);

    /// <summary>Stops the device's own work (threads); called first by <see cref="DisposeAsync"/>.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>Stops and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        OnStopping();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
