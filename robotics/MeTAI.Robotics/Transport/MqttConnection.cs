using System.Buffers;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// One MQTT client connection, the way every part of the system holds one (the controller's link, the device twins, the
/// service's monitor): connects with the endpoint's credentials and TLS, subscribes, and — once it has connected, or
/// from <see cref="KeepConnected"/> on — reconnects by itself after every loss, waiting
/// <see cref="MqttConnectionOptions.ReconnectDelay"/> before each try (with back-off up to
/// <see cref="MqttConnectionOptions.MaxReconnectDelay"/>) and renewing its subscriptions on every connect, until it is
/// disposed. Publishing never blocks on a missing connection.
/// </summary>
public sealed class MqttConnection : IAsyncDisposable
{
    private readonly MqttConnectionOptions _options;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _publishLock = new();
    private volatile bool _reconnects;
    private int _reconnecting;
    private int _disposed;

    /// <summary>Creates the connection (not connected).</summary>
    public MqttConnection(MqttConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessage;
        _client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>Where it connects, and as whom.</summary>
    public MqttEndpoint Endpoint => _options.Endpoint;

    /// <summary>True while connected.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects and subscribes; throws when the broker is away or refuses. From then on it reconnects by itself.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => ConnectOnceAsync(cancellationToken);

    /// <summary>
    /// Connects in the background — the first try at once, then every <see cref="MqttConnectionOptions.ReconnectDelay"/>
    /// (with back-off), each failure reported to <see cref="MqttConnectionOptions.OnConnectFailed"/> — and stays connected.
    /// </summary>
    public void KeepConnected()
    {
        _reconnects = true;
        StartReconnecting(TimeSpan.Zero);
    }

    /// <summary>Publishes (QoS 0 unless <paramref name="reliable"/>); false when not connected or the send failed.</summary>
    public bool Publish(string topic, byte[] payload, bool retain = false, bool reliable = false)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        MqttApplicationMessage message = Message(topic, payload, retain, reliable);
        try
        {
            lock (_publishLock)
            {
                _client.PublishAsync(message, _cts.Token).GetAwaiter().GetResult();
            }

            return true;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Publishes (QoS 0 unless <paramref name="reliable"/>); throws when not connected or the send fails.</summary>
    public Task PublishAsync(string topic, byte[] payload, bool reliable = false, CancellationToken cancellationToken = default) =>
        _client.PublishAsync(Message(topic, payload, retain: false, reliable), cancellationToken);

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain, bool reliable) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(reliable ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();

    private async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        MqttClientConnectResult result = await _client.ConnectAsync(MqttClientOptionsFactory.Create(_options.Endpoint), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            // MQTTnet 5 can hand a refusal back as a result instead of throwing; a refused client is not connected.
            throw new MqttCommunicationException(
                $"MQTT broker {_options.Endpoint.Host}:{_options.Endpoint.Port} refused '{_options.Endpoint.UserName}': {result.ResultCode}{(string.IsNullOrEmpty(result.ReasonString) ? "" : " (" + result.ReasonString + ")")}");
        }

        if (_options.Subscriptions.Count > 0)
        {
            MqttClientSubscribeOptionsBuilder builder = new MqttClientFactory().CreateSubscribeOptionsBuilder();
            foreach (MqttTopicFilter filter in _options.Subscriptions)
            {
                builder = builder.WithTopicFilter(filter.Topic, filter.QualityOfServiceLevel);
            }

            await _client.SubscribeAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
        }

        _reconnects = true;
        _options.OnConnected?.Invoke();
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        if (_options.OnMessage is { } handler)
        {
            ReadOnlySequence<byte> payload = e.ApplicationMessage.Payload;
            handler(e.ApplicationMessage.Topic, payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
        }

        return Task.CompletedTask;
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        _options.OnDisconnected?.Invoke();
        if (_reconnects)
        {
            StartReconnecting(_options.ReconnectDelay);
        }

        return Task.CompletedTask;
    }

    private void StartReconnecting(TimeSpan firstDelay)
    {
        if (!_cts.IsCancellationRequested && Interlocked.Exchange(ref _reconnecting, 1) == 0)
        {
            _ = Task.Run(() => ReconnectAsync(firstDelay));
        }
    }

    private async Task ReconnectAsync(TimeSpan firstDelay)
    {
        TimeSpan delay = firstDelay;
        TimeSpan next = _options.ReconnectDelay;
        try
        {
            while (!_cts.IsCancellationRequested && !_client.IsConnected)
            {
                try
                {
                    await Task.Delay(delay, _cts.Token).ConfigureAwait(false);
                    await ConnectOnceAsync(_cts.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Broker still away: try again.
                    _options.OnConnectFailed?.Invoke(ex);
                }

                delay = next;
                if (_options.MaxReconnectDelay is { } max)
                {
                    next = next * 2 < max ? next * 2 : max;
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

        // A loss between the loop's last look and the reset above found a loop still running: start the next one now.
        if (!_cts.IsCancellationRequested && !_client.IsConnected)
        {
            StartReconnecting(_options.ReconnectDelay);
        }
    }

    /// <summary>Stops reconnecting, disconnects and releases the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _cts.CancelAsync().ConfigureAwait(false);
        if (_client.IsConnected)
        {
            try
            {
                await _client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MqttCommunicationException or OperationCanceledException)
            {
            }
        }

        _client.Dispose();
        _cts.Dispose();
    }
}
