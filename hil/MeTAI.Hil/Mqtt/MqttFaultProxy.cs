using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MeTAI.Robotics.Transport;

namespace MeTAI.Hil.Mqtt;

/// <summary>
/// An in-process TCP proxy between MQTT clients and the broker. Every HIL device and the controller connect through it,
/// so network faults can be injected on real MQTT traffic: latency and jitter (order kept), loss and duplication of QoS 0
/// PUBLISH packets (<see cref="ProxyRule"/>), and cut connections (<see cref="Disconnect"/>). With
/// <see cref="Recording"/> on, every PUBLISH is traced. Packets are framed, never re-encoded.
/// </summary>
public sealed class MqttFaultProxy : IAsyncDisposable
{
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly List<ProxyRule> _rules = [];
    private readonly Lock _rulesLock = new();
    private readonly ConcurrentDictionary<Connection, byte> _connections = new();
    private readonly ConcurrentQueue<MqttTraceMessage> _trace = new();
    private readonly PriorityQueue<Scheduled, long> _scheduled = new();
    private readonly Lock _scheduleLock = new();
    private readonly AutoResetEvent _scheduleSignal = new(false);
    private readonly CancellationTokenSource _cts = new();
    private TcpListener? _listener;
    private Thread? _scheduler;
    private volatile bool _recording;
    private long _forwarded;
    private long _dropped;
    private long _duplicated;
    private long _delayed;
    private long _order;

    /// <summary>Creates the proxy for the broker at <paramref name="upstreamHost"/>:<paramref name="upstreamPort"/>.</summary>
    public MqttFaultProxy(string upstreamHost, int upstreamPort, int seed = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(upstreamHost);
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _random = new Random(seed);
    }

    /// <summary>Port the proxy listens on (127.0.0.1; after start).</summary>
    public int Port { get; private set; }

    /// <summary>Packets forwarded.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>PUBLISH packets dropped by loss rules.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>PUBLISH packets sent twice.</summary>
    public long Duplicated => Interlocked.Read(ref _duplicated);

    /// <summary>Packets held back by latency rules.</summary>
    public long Delayed => Interlocked.Read(ref _delayed);

    /// <summary>Open client connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Trace every PUBLISH while true.</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    /// <summary>Starts listening on a free loopback port.</summary>
    public void Start()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _scheduler = new Thread(RunScheduler) { IsBackground = true, Name = "mqtt-proxy-scheduler" };
        _scheduler.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Adds a fault rule (from now on).</summary>
    public void AddRule(ProxyRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        lock (_rulesLock)
        {
            _rules.Add(rule);
        }
    }

    /// <summary>Removes a fault rule.</summary>
    public void RemoveRule(ProxyRule rule)
    {
        lock (_rulesLock)
        {
            _rules.Remove(rule);
        }
    }

    /// <summary>Removes every rule.</summary>
    public void ClearRules()
    {
        lock (_rulesLock)
        {
            _rules.Clear();
        }
    }

    /// <summary>Cuts every connection of <paramref name="user"/> (null: all); returns how many. Clients see a lost connection.</summary>
    public int Disconnect(string? user)
    {
        int n = 0;
        foreach (Connection c in _connections.Keys)
        {
            if (user is null || c.User == user)
            {
                c.Close();
                n++;
            }
        }

        return n;
    }

    /// <summary>Takes the traced PUBLISH packets.</summary>
    public IReadOnlyList<MqttTraceMessage> DrainTrace()
    {
        var list = new List<MqttTraceMessage>(_trace.Count);
        while (_trace.TryDequeue(out MqttTraceMessage? m))
        {
            list.Add(m);
        }

        return list;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(_cts.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var upstream = new TcpClient { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(_upstreamHost, _upstreamPort, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Broker away (restart fault): refuse the client at once; it retries.
            client.Dispose();
            upstream.Dispose();
            return;
        }

        var c = new Connection(this, client, upstream);
        _connections[c] = 0;
        try
        {
            await Task.WhenAll(PumpAsync(c, ProxyDirection.ToBroker), PumpAsync(c, ProxyDirection.ToClient)).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(c, out _);
            c.Close();
        }
    }

    private async Task PumpAsync(Connection c, ProxyDirection direction)
    {
        Stream from = direction == ProxyDirection.ToBroker ? c.ClientStream : c.UpstreamStream;
        try
        {
            while (!_cts.IsCancellationRequested && !c.Closed)
            {
                byte[]? packet = await MqttPacket.ReadAsync(from, _cts.Token).ConfigureAwait(false);
                if (packet is null)
                {
                    break;
                }

                Route(c, direction, packet);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
        {
        }
        finally
        {
            c.Close();
        }
    }

    private void Route(Connection c, ProxyDirection direction, byte[] packet)
    {
        long now = Stopwatch.GetTimestamp();
        int type = MqttPacket.TypeOf(packet);
        if (type == MqttPacket.Connect && direction == ProxyDirection.ToBroker && MqttPacket.TryReadConnect(packet, out string? user, out bool v5))
        {
            c.User = user ?? "";
            c.V5 = v5;
        }

        string? topic = null;
        int qos = 0, payloadStart = 0;
        bool publish = type == MqttPacket.Publish && MqttPacket.TryReadPublish(packet, c.V5, out topic, out qos, out payloadStart);
        double delayMs = 0, jitterMs = 0, loss = 0, dup = 0;
        lock (_rulesLock)
        {
            foreach (ProxyRule r in _rules)
            {
                if ((r.Direction & direction) == 0 || (r.User is not null && r.User != c.User))
                {
                    continue;
                }

                if (r.TopicFilter is not null && (!publish || !MqttAccessPolicy.Matches(r.TopicFilter, topic!)))
                {
                    continue;
                }

                delayMs += r.LatencyMs;
                jitterMs = Math.Max(jitterMs, r.JitterMs);
                loss = 1 - (1 - loss) * (1 - r.LossProbability);
                dup = Math.Max(dup, r.DuplicateProbability);
            }
        }

        bool drop = false, twice = false;
        if (publish && qos == 0 && (loss > 0 || dup > 0 || jitterMs > 0))
        {
            lock (_randomLock)
            {
                drop = loss > 0 && _random.NextDouble() < loss;
                twice = !drop && dup > 0 && _random.NextDouble() < dup;
                delayMs += jitterMs > 0 ? _random.NextDouble() * jitterMs : 0;
            }
        }
        else if (jitterMs > 0)
        {
            lock (_randomLock)
            {
                delayMs += _random.NextDouble() * jitterMs;
            }
        }

        if (publish && _recording)
        {
            int payloadLength = packet.Length - payloadStart;
            _trace.Enqueue(new MqttTraceMessage(now, direction, c.User, topic!, qos, payloadLength,
                payloadLength <= 512 ? packet[payloadStart..] : null,
                drop ? "dropped" : twice ? "duplicated" : delayMs > 0 ? "delayed" : "forwarded", delayMs));
        }

        if (drop)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (twice)
        {
            Interlocked.Increment(ref _duplicated);
        }

        Channel ch = c.ChannelOf(direction);
        long due = now + (long)(delayMs * 1e-3 * Stopwatch.Frequency);
        for (int k = 0; k < (twice ? 2 : 1); k++)
        {
            lock (ch)
            {
                // Keep TCP order: a packet never overtakes one still waiting in the schedule.
                due = Math.Max(due, ch.LastDue);
                ch.LastDue = due;
                if (due <= now && ch.Pending == 0)
                {
                    ch.Write(packet);
                    Interlocked.Increment(ref _forwarded);
                    continue;
                }

                ch.Pending++;
            }

            Interlocked.Increment(ref _delayed);
            lock (_scheduleLock)
            {
                _scheduled.Enqueue(new Scheduled(ch, packet), due * 1024 + (Interlocked.Increment(ref _order) & 1023));
            }

            _scheduleSignal.Set();
        }
    }

    private void RunScheduler()
    {
        while (!_cts.IsCancellationRequested)
        {
            Scheduled? next = null;
            long dueTicks = 0;
            lock (_scheduleLock)
            {
                if (_scheduled.TryPeek(out Scheduled? s, out long key))
                {
                    dueTicks = key / 1024;
                    if (dueTicks <= Stopwatch.GetTimestamp())
                    {
                        next = _scheduled.Dequeue();
                    }
                }
            }

            if (next is null)
            {
                if (dueTicks == 0)
                {
                    _scheduleSignal.WaitOne(50);
                }
                else if (dueTicks - Stopwatch.GetTimestamp() > Stopwatch.Frequency / 1000)
                {
                    // Millisecond resolution is enough for injected latency; a packet due sooner is picked up next round.
                    _scheduleSignal.WaitOne(1);
                }
                else
                {
                    Thread.Yield();
                }

                continue;
            }

            lock (next.Channel)
            {
                next.Channel.Write(next.Packet);
                next.Channel.Pending--;
            }

            Interlocked.Increment(ref _forwarded);
        }
    }

    /// <summary>Stops listening and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        Disconnect(null);
        _scheduleSignal.Set();
        _scheduler?.Join(2000);
        _scheduleSignal.Dispose();
        _cts.Dispose();
    }

    private sealed record Scheduled(Channel Channel, byte[] Packet);

    private sealed class Channel(Connection owner, Stream to)
    {
        public long LastDue { get; set; }

        public int Pending { get; set; }

        public void Write(byte[] packet)
        {
            if (owner.Closed)
            {
                return;
            }

            try
            {
                to.Write(packet);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                owner.Close();
            }
        }
    }

    private sealed class Connection
    {
        private readonly TcpClient _client;
        private readonly TcpClient _upstream;
        private int _closed;

        public Connection(MqttFaultProxy proxy, TcpClient client, TcpClient upstream)
        {
            _ = proxy;
            _client = client;
            _upstream = upstream;
            ClientStream = client.GetStream();
            UpstreamStream = upstream.GetStream();
            ToBroker = new Channel(this, UpstreamStream);
            ToClient = new Channel(this, ClientStream);
        }

        public NetworkStream ClientStream { get; }

        public NetworkStream UpstreamStream { get; }

        public Channel ToBroker { get; }

        public Channel ToClient { get; }

        public string User { get; set; } = "";

        public bool V5 { get; set; }

        public bool Closed => Volatile.Read(ref _closed) != 0;

        public Channel ChannelOf(ProxyDirection direction) => direction == ProxyDirection.ToBroker ? ToBroker : ToClient;

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _client.Dispose();
                _upstream.Dispose();
            }
        }
    }
}
