using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// The reference bridge for a haptic device that sends its pose over UDP (docs/mqtt-topics.md, *Bridging a physical
/// haptic device*): each datagram is one 76-byte pose payload, checked (<see cref="MqttPayloads.TryReadPose"/>) and
/// published unchanged on the master's pose topic; a heartbeat goes out every <see cref="UdpMasterBridgeOptions.HeartbeatPeriodMs"/>
/// only while the device's last valid pose is fresh, so a silent device stops the heartbeat and the controller holds;
/// the controller's force messages go back unchanged to the address the last valid pose came from.
/// </summary>
public sealed class UdpMasterBridge : IAsyncDisposable
{
    private readonly UdpMasterBridgeOptions _options;
    private readonly MqttTopics _topics;
    private readonly CancellationTokenSource _stop = new();
    private UdpClient? _udp;
    private MqttConnection? _mqtt;
    private Task? _receive;
    private Task? _heartbeat;
    private IPEndPoint? _device;
    private long _lastPoseTicks;
    private long _poses;
    private long _dropped;
    private long _heartbeats;
    private long _forces;

    /// <summary>Creates the bridge (not started).</summary>
    public UdpMasterBridge(UdpMasterBridgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _topics = new MqttTopics(options.Robot);
    }

    /// <summary>Where datagrams are received (known after start).</summary>
    public IPEndPoint? LocalEndPoint => (IPEndPoint?)_udp?.Client.LocalEndPoint;

    /// <summary>Valid poses published.</summary>
    public long PosesRelayed => Interlocked.Read(ref _poses);

    /// <summary>Datagrams dropped as malformed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Heartbeats published.</summary>
    public long HeartbeatsSent => Interlocked.Read(ref _heartbeats);

    /// <summary>Force messages sent back to the device.</summary>
    public long ForcesReturned => Interlocked.Read(ref _forces);

    /// <summary>Binds the socket, connects to the broker (throws when it refuses) and starts relaying.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _udp = new UdpClient(_options.Listen);
        _mqtt = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = _options.Broker,
            Subscriptions = [new MqttTopicFilter { Topic = _topics.MasterForce(_options.MasterId), QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }],
            OnMessage = OnForce,
        });
        await _mqtt.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _receive = Task.Run(() => ReceiveAsync(_stop.Token), CancellationToken.None);
        _heartbeat = Task.Run(() => HeartbeatAsync(_stop.Token), CancellationToken.None);
    }

    private async Task ReceiveAsync(CancellationToken ct)
    {
        string topic = _topics.MasterPose(_options.MasterId);
        while (!ct.IsCancellationRequested)
        {
            UdpReceiveResult r;
            try
            {
                r = await _udp!.ReceiveAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (!MqttPayloads.TryReadPose(r.Buffer, out _))
            {
                Interlocked.Increment(ref _dropped);
                continue;
            }

            _device = r.RemoteEndPoint;
            Volatile.Write(ref _lastPoseTicks, Stopwatch.GetTimestamp());
            if (_mqtt!.Publish(topic, r.Buffer))
            {
                Interlocked.Increment(ref _poses);
            }
        }
    }

    // The heartbeat is the device's, not the bridge's: it stops as soon as the device's poses stop.
    private async Task HeartbeatAsync(CancellationToken ct)
    {
        string topic = _topics.MasterHeartbeat(_options.MasterId);
        long silence = (long)(_options.DeviceSilenceMs * Stopwatch.Frequency / 1000);
        long sequence = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.HeartbeatPeriodMs));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                long last = Volatile.Read(ref _lastPoseTicks);
                long now = Stopwatch.GetTimestamp();
                if (last == 0 || now - last > silence)
                {
                    continue;
                }

                byte[] beat = new byte[MqttPayloads.HeartbeatLength];
                MqttPayloads.WriteHeartbeat(beat, ++sequence, now);
                if (_mqtt!.Publish(topic, beat))
                {
                    Interlocked.Increment(ref _heartbeats);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnForce(string topic, ReadOnlySpan<byte> payload)
    {
        if (_device is not { } device || payload.Length != MqttPayloads.ForceLength || payload[0] != MqttPayloads.ForceFormat)
        {
            return;
        }

        try
        {
            _udp?.Send(payload, device);
            Interlocked.Increment(ref _forces);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The device went away; the next pose says where it is.
        }
    }

    /// <summary>Stops relaying, closes the socket and the broker connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp?.Dispose();
        foreach (Task? t in new[] { _receive, _heartbeat })
        {
            if (t is not null)
            {
                await t.ConfigureAwait(false);
            }
        }

        if (_mqtt is not null)
        {
            await _mqtt.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
