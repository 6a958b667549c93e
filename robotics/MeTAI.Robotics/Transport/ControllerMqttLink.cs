using MeTAI.Robotics.Control;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// The controller's MQTT client: subscribes to the registered master's pose and heartbeat, the e-stop and command
/// topics, and turns messages into <see cref="ControllerInputs"/> (never touching the supervisor). Marks the broker
/// disconnected at once on loss (the loop holds) and reconnects in the background every 250 ms (an
/// <see cref="MqttConnection"/>). Malformed payloads are counted and dropped.
/// </summary>
public sealed class ControllerMqttLink : IAsyncDisposable
{
    private readonly MqttTopics _topics;
    private readonly string _poseTopic;
    private readonly string _heartbeatTopic;
    private readonly ControllerInputs _inputs;
    private readonly MqttConnection _connection;
    private long _rejected;
    private long _poses;
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
        _topics = topics;
        _inputs = inputs;
        _poseTopic = topics.MasterPose(masterId);
        _heartbeatTopic = topics.MasterHeartbeat(masterId);
        MasterId = masterId;
        List<MqttTopicFilter> subscriptions =
        [
            Filter(_poseTopic, MqttQualityOfServiceLevel.AtMostOnce),
            Filter(_heartbeatTopic, MqttQualityOfServiceLevel.AtMostOnce),
            Filter(topics.EStop, MqttQualityOfServiceLevel.AtLeastOnce),
            Filter(topics.EStopDevice, MqttQualityOfServiceLevel.AtLeastOnce),
            Filter(topics.Command, MqttQualityOfServiceLevel.AtLeastOnce),
        ];
        if (beam)
        {
            subscriptions.Add(Filter(topics.BeamState, MqttQualityOfServiceLevel.AtLeastOnce));
            subscriptions.Add(Filter(topics.PatientMotion, MqttQualityOfServiceLevel.AtMostOnce));
        }

        _connection = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = endpoint,
            Subscriptions = subscriptions,
            ReconnectDelay = TimeSpan.FromMilliseconds(250),
            OnMessage = OnMessage,
            OnConnected = () => _inputs.BrokerConnected = true,
            OnDisconnected = () => _inputs.BrokerConnected = false,
        });
    }

    private static MqttTopicFilter Filter(string topic, MqttQualityOfServiceLevel qos) => new() { Topic = topic, QualityOfServiceLevel = qos };

    /// <summary>Registered master.</summary>
    public string MasterId { get; }

    /// <summary>Topics.</summary>
    public MqttTopics Topics => _topics;

    /// <summary>Messages dropped as malformed.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Master poses accepted.</summary>
    public long Poses => Interlocked.Read(ref _poses);

    /// <summary>True while connected.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>Connects and subscribes; throws when the broker refuses.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => _connection.ConnectAsync(cancellationToken);

    /// <summary>Publishes (QoS 0 unless <paramref name="reliable"/>); false when not connected.</summary>
    public bool Publish(string topic, ReadOnlySpan<byte> payload, bool retain = false, bool reliable = false) =>
        _connection.IsConnected && _connection.Publish(topic, payload.ToArray(), retain, reliable);

    private void OnMessage(string topic, ReadOnlySpan<byte> data)
    {
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
        else if (string.Equals(topic, _topics.EStopDevice, StringComparison.Ordinal))
        {
            // The device's state is also its heartbeat; a malformed one reads as pressed and is no heartbeat.
            if (MqttPayloads.TryReadEStop(data, out bool pressed, out long sequence))
            {
                _inputs.EStopDevice(pressed, sequence);
            }
            else
            {
                _inputs.EStopDeviceMalformed();
                Interlocked.Increment(ref _rejected);
            }
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
    }

    /// <summary>Disconnects.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
