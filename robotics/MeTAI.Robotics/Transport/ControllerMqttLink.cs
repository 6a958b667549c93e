using System.Buffers;
using MeTAI.Robotics.Control;
using MQTTnet;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// The controller's MQTT client: subscribes to the registered master's pose and heartbeat, the e-stop and command
/// topics, and turns messages into <see cref="ControllerInputs"/> (never touching the supervisor). Marks the broker
/// disconnected at once on loss (the loop holds) and reconnects in the background. Malformed payloads are counted
/// and dropped.
/// </summary>
public sealed class ControllerMqttLink : IAsyncDisposable
{
    private readonly MqttEndpoint _endpoint;
    private readonly MqttTopics _topics;
    private readonly string _poseTopic;
    private readonly string _heartbeatTopic;
    private readonly ControllerInputs _inputs;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _cts = new();
    private readonly Lock _publishLock = new();
    private long _rejected;
    private long _poses;
    private int _reconnecting;
    private readonly bool _beam;

    /// <summary>
    /// Creates the link for master <paramref name="masterId"/>; with <paramref name="beam"/> it also listens to the linac
    /// status and the patient-motion source.
    /// </summary>
    public ControllerMqttLink(MqttEndpoint endpoint, MqttTopics topics, string masterId, ControllerInputs inputs, bool beam = false)
    {
        _beam = beam;
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentException.ThrowIfNullOrWhiteSpace(masterId);
        ArgumentNullException.ThrowIfNull(inputs);
        _endpoint = endpoint;
        _topics = topics;
        _inputs = inputs;
        _poseTopic = topics.MasterPose(masterId);
        _heartbeatTopic = topics.MasterHeartbeat(masterId);
        MasterId = masterId;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessage;
        _client.DisconnectedAsync += OnDisconnected;
    }

    /// <summary>Registered master.</summary>
    public string MasterId { get; }

    /// <summary>Topics.</summary>
    public MqttTopics Topics => _topics;

    /// <summary>Messages dropped as malformed.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Master poses accepted.</summary>
    public long Poses => Interlocked.Read(ref _poses);

    /// <summary>True while connected.</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects and subscribes; throws when the broker refuses.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        await _client.ConnectAsync(MqttClientOptionsFactory.Create(_endpoint), cancellationToken).ConfigureAwait(false);
        MqttClientSubscribeOptionsBuilder builder = new MqttClientFactory().CreateSubscribeOptionsBuilder()
            .WithTopicFilter(_poseTopic, MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter(_heartbeatTopic, MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter(_topics.EStop, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_topics.Command, MqttQualityOfServiceLevel.AtLeastOnce);
        if (_beam)
        {
            builder = builder.WithTopicFilter(_topics.BeamState, MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(_topics.PatientMotion, MqttQualityOfServiceLevel.AtMostOnce);
        }

        MqttClientSubscribeOptions subscribe = builder.Build();
        await _client.SubscribeAsync(subscribe, cancellationToken).ConfigureAwait(false);
        _inputs.BrokerConnected = true;
    }

    /// <summary>Publishes (QoS 0 unless <paramref name="reliable"/>); false when not connected.</summary>
    public bool Publish(string topic, ReadOnlySpan<byte> payload, bool retain = false, bool reliable = false)
    {
        if (!_client.IsConnected)
        {
            return false;
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload.ToArray())
            .WithRetainFlag(retain)
            .WithQualityOfServiceLevel(reliable ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        try
        {
            lock (_publishLock)
            {
                _client.PublishAsync(message, _cts.Token).GetAwaiter().GetResult();
            }

            return true;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }

    private Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        ReadOnlySequence<byte> payload = e.ApplicationMessage.Payload;
        ReadOnlySpan<byte> data = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        if (string.Equals(topic, _poseTopic, StringComparison.Ordinal))
        {
            if (MqttPayloads.TryReadPose(data, out MasterSample sample))
            {
                _inputs.PublishMaster(sample);
                Interlocked.Increment(ref _poses);
            }
            else
            {
                Interlocked.Increment(ref _rejected);
            }
        }
        else if (string.Equals(topic, _heartbeatTopic, StringComparison.Ordinal))
        {
            if (MqttPayloads.TryReadHeartbeat(data, out _))
            {
                _inputs.Heartbeat();
            }
            else
            {
                Interlocked.Increment(ref _rejected);
            }
        }
        else if (string.Equals(topic, _topics.EStop, StringComparison.Ordinal))
        {
            _inputs.SetEStop(MqttPayloads.ReadEStopPressed(data));
        }
        else if (_beam && string.Equals(topic, _topics.BeamState, StringComparison.Ordinal))
        {
            if (BeamJson.TryReadLinacState(data, out bool on, out int beam, out long gateSeq))
            {
                _inputs.SetLinacState(on, beam, gateSeq);
            }
            else
            {
                Interlocked.Increment(ref _rejected);
            }
        }
        else if (_beam && string.Equals(topic, _topics.PatientMotion, StringComparison.Ordinal))
        {
            if (BeamJson.TryReadPatientMotion(data, out MeTAI.Core.Geometry.Vec3 displacement))
            {
                _inputs.SetPatientDisplacement(displacement);
            }
            else
            {
                Interlocked.Increment(ref _rejected);
            }
        }
        else if (string.Equals(topic, _topics.Command, StringComparison.Ordinal))
        {
            if (CommandJson.TryParse(data, out ControllerCommand? command, out _))
            {
                _inputs.Enqueue(command!);
            }
            else
            {
                Interlocked.Increment(ref _rejected);
            }
        }

        return Task.CompletedTask;
    }

    private Task OnDisconnected(MqttClientDisconnectedEventArgs e)
    {
        _inputs.BrokerConnected = false;
        if (!_cts.IsCancellationRequested && Interlocked.Exchange(ref _reconnecting, 1) == 0)
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
                    await Task.Delay(250, _cts.Token).ConfigureAwait(false);
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

    /// <summary>Disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
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
    }
}
