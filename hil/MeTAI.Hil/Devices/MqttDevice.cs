using System.Buffers;
using MeTAI.Robotics.Transport;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeTAI.Hil.Devices;

/// <summary>
/// Base of the simulated MQTT devices: one client with its own broker account, reconnecting by itself (the devices
/// must survive a broker restart or a cut connection like real ones), subscriptions renewed on every connect.
/// </summary>
public abstract class MqttDevice : IAsyncDisposable
{
    private readonly MqttEndpoint _endpoint;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _publishLock = new();
    private int _reconnecting;
    private volatile bool _started;

    /// <summary>Creates the device for <paramref name="robot"/>'s topics.</summary>
    protected MqttDevice(MqttEndpoint endpoint, string robot)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _endpoint = endpoint;
        Topics = new MqttTopics(robot);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            ReadOnlySequence<byte> p = e.ApplicationMessage.Payload;
            OnMessage(e.ApplicationMessage.Topic, p.IsSingleSegment ? p.FirstSpan : p.ToArray());
            return Task.CompletedTask;
        };
        _client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>Topics of the robot.</summary>
    protected MqttTopics Topics { get; }

    /// <summary>Cancelled on dispose.</summary>
    protected CancellationToken Stopping => _cts.Token;

    /// <summary>True while connected.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Topics to subscribe to on every connect.</summary>
    protected virtual IEnumerable<string> Subscriptions => [];

    /// <summary>Connects (throws when refused) and starts the device.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        _started = true;
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
    protected bool Publish(string topic, byte[] payload, bool reliable = false)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        MqttApplicationMessage m = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(reliable ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce).Build();
        try
        {
            lock (_publishLock)
            {
                _client.PublishAsync(m, _cts.Token).GetAwaiter().GetResult();
            }

            return true;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _client.ConnectAsync(MqttClientOptionsFactory.Create(_endpoint), cancellationToken).ConfigureAwait(false);
        var subscriptions = Subscriptions.ToList();
        if (subscriptions.Count > 0)
        {
            MqttClientSubscribeOptionsBuilder b = new MqttClientFactory().CreateSubscribeOptionsBuilder();
            foreach (string t in subscriptions)
            {
                b = b.WithTopicFilter(t, MqttQualityOfServiceLevel.AtLeastOnce);
            }

            await _client.SubscribeAsync(b.Build(), cancellationToken).ConfigureAwait(false);
        }
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        if (_started && !_cts.IsCancellationRequested && Interlocked.Exchange(ref _reconnecting, 1) == 0)
        {
            _ = Task.Run(ReconnectAsync);
        }

        return Task.CompletedTask;
    }

    private async Task ReconnectAsync()
    {
        try
        {
            while (!_cts.IsCancellationRequested && !_client.IsConnected)
            {
                try
                {
                    await Task.Delay(100, _cts.Token).ConfigureAwait(false);
                    await ConnectAsync(_cts.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Broker still away: try again.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Volatile.Write(ref _reconnecting, 0);
        }
    }

    /// <summary>Stops the device's own work (threads); called first by <see cref="DisposeAsync"/>.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>Stops and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        OnStopping();
        await _cts.CancelAsync().ConfigureAwait(false);
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
            }
        }

        _client.Dispose();
        _cts.Dispose();
        GC.SuppressFinalize(this);
    }
}
