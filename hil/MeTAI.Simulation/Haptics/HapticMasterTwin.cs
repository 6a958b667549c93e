using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Transport;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace MeTAI.Simulation.Haptics;

/// <summary>
/// A simulated haptic master on MQTT: publishes its stylus pose with clutch and operator-present buttons at
/// <see cref="HapticMasterOptions.PoseRateHz"/> and a heartbeat, and receives force feedback. The pose is set
/// directly or follows a motion function of time. Fault hooks: stop the heartbeat, stop the poses, release the
/// deadman, press the e-stop. Reconnects by itself every 100 ms when the broker goes away (an
/// <see cref="MqttConnection"/>); with <see cref="Recording"/> on it keeps
/// every force message it receives.
/// </summary>
public sealed class HapticMasterTwin : IAsyncDisposable
{
    private readonly HapticMasterOptions _options;
    private readonly MqttTopics _topics;
    private readonly string _masterId;
    private readonly MqttConnection _connection;
    private readonly Lock _lock = new();
    private readonly byte[] _pose = new byte[MqttPayloads.PoseLength];
    private readonly byte[] _heartbeat = new byte[MqttPayloads.HeartbeatLength];
    private Thread? _thread;
    private volatile bool _running;
    private volatile bool _heartbeatOn = true;
    private volatile bool _posesOn = true;
    private Pose _current;
    private Func<double, Pose>? _motion;
    private long _motionStartTicks;
    private bool _clutch;
    private bool _operatorPresent;
    private long _sequence;
    private Vec3 _lastForce;
    private long _forces;
    private double _maxForce;
    private long _activeForces;
    private long _heartbeatsSent;
    private long _lastHeartbeatTicks;
    private long _estopSeq;
    private readonly ConcurrentQueue<ForceSample> _forceLog = new();
    private volatile bool _recording;

    /// <summary>Creates the twin (not connected).</summary>
    public HapticMasterTwin(HapticMasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _topics = new MqttTopics(options.Robot);
        _masterId = options.MasterId ?? options.Broker.UserName;
        _current = options.InitialPose;
        _operatorPresent = options.OperatorPresent;
        _connection = new MqttConnection(new MqttConnectionOptions
        {
            Endpoint = options.Broker,
            Subscriptions = [new MqttTopicFilter { Topic = _topics.MasterForce(_masterId), QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce }],
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            OnMessage = OnMessage,
        });
    }

    /// <summary>Keep every force message received while true.</summary>
    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    /// <summary>True while connected to the broker.</summary>
    public bool IsConnected => _connection.IsConnected;

    /// <summary>Takes the force messages recorded so far.</summary>
    public IReadOnlyList<ForceSample> DrainForces()
    {
        var list = new List<ForceSample>(_forceLog.Count);
        while (_forceLog.TryDequeue(out ForceSample f))
        {
            list.Add(f);
        }

        return list;
    }

    /// <summary>Back to a healthy master at <paramref name="pose"/>: heartbeat and poses on, clutch released, deadman held.</summary>
    public void ResetForRun(Pose pose)
    {
        SetPose(pose);
        SetClutch(false);
        SetOperatorPresent(true);
        SetHeartbeat(true);
        SetPoses(true);
        lock (_lock)
        {
            _maxForce = 0;
        }
    }

    /// <summary>Force messages received.</summary>
    public long ForcesReceived => Interlocked.Read(ref _forces);

    /// <summary>Force messages with the fixture active.</summary>
    public long ActiveForcesReceived => Interlocked.Read(ref _activeForces);

    /// <summary>Last force (master frame, N).</summary>
    public Vec3 LastForce
    {
        get
        {
            lock (_lock)
            {
                return _lastForce;
            }
        }
    }

    /// <summary>Largest force magnitude received (N).</summary>
    public double MaxForceN
    {
        get
        {
            lock (_lock)
            {
                return _maxForce;
            }
        }
    }

    /// <summary>Heartbeats sent.</summary>
    public long HeartbeatsSent => Interlocked.Read(ref _heartbeatsSent);

    /// <summary>Stopwatch ticks of the last heartbeat sent.</summary>
    public long LastHeartbeatTicks => Interlocked.Read(ref _lastHeartbeatTicks);

    /// <summary>Poses sent.</summary>
    public long PosesSent => Interlocked.Read(ref _sequence);

    /// <summary>Connects (throws when refused), subscribes to its force topic and starts publishing.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _connection.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "haptic-master-twin" };
        _thread.Start();
    }

    /// <summary>Sets the stylus pose (stops any motion function).</summary>
    public void SetPose(Pose pose)
    {
        lock (_lock)
        {
            _motion = null;
            _current = pose;
        }
    }

    /// <summary>Current stylus pose.</summary>
    public Pose CurrentPose
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Follows <paramref name="motion"/>(seconds since now) from now on.</summary>
    public void Follow(Func<double, Pose> motion)
    {
        lock (_lock)
        {
            _motion = motion;
            _motionStartTicks = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// Plays <paramref name="motion"/> from now on: the stylus at <paramref name="origin"/> plus the motion's offset, and its
    /// buttons where it has them.
    /// </summary>
    public void Play(MasterMotion motion, Pose origin)
    {
        ArgumentNullException.ThrowIfNull(motion);
        lock (_lock)
        {
            _motion = t =>
            {
                (bool? clutch, bool? deadman) = motion.ButtonsAt(t);
                if (clutch is bool c)
                {
                    _clutch = c;
                }

                if (deadman is bool d)
                {
                    _operatorPresent = d;
                }

                return origin with { Position = origin.Position + motion.OffsetAt(t) };
            };
            _motionStartTicks = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Presses or releases the clutch.</summary>
    public void SetClutch(bool pressed)
    {
        lock (_lock)
        {
            _clutch = pressed;
        }
    }

    /// <summary>Presses or releases the operator-present (deadman) input.</summary>
    public void SetOperatorPresent(bool present)
    {
        lock (_lock)
        {
            _operatorPresent = present;
        }
    }

    /// <summary>Fault hook: stop or resume the heartbeat.</summary>
    public void SetHeartbeat(bool on) => _heartbeatOn = on;

    /// <summary>Fault hook: stop or resume pose messages.</summary>
    public void SetPoses(bool on) => _posesOn = on;

    /// <summary>Publishes the e-stop state (masters may publish e-stop).</summary>
    public async Task PublishEStopAsync(bool pressed, CancellationToken cancellationToken = default)
    {
        byte[] payload = new byte[MqttPayloads.EStopLength];
        MqttPayloads.WriteEStop(payload, pressed, Interlocked.Increment(ref _estopSeq));
        await _connection.PublishAsync(_topics.EStop, payload, reliable: true, cancellationToken).ConfigureAwait(false);
    }

    private void Run()
    {
        if (_options.RealtimePriority is int priority)
        {
            PreciseSleeper.TrySetRealtimePriority(priority);
        }

        long period = (long)(Stopwatch.Frequency / _options.PoseRateHz);
        long heartbeatPeriod = (long)(Stopwatch.Frequency / _options.HeartbeatRateHz);
        long margin = (long)(_options.SpinMarginUs * 1e-6 * Stopwatch.Frequency);
        long deadline = Stopwatch.GetTimestamp() + period;
        long nextHeartbeat = 0;
        string poseTopic = _topics.MasterPose(_masterId);
        string heartbeatTopic = _topics.MasterHeartbeat(_masterId);
        while (_running)
        {
            PreciseSleeper.SleepUntil(deadline, margin);
            long now = Stopwatch.GetTimestamp();
            deadline += period;
            if (now - deadline > Stopwatch.Frequency / 10)
            {
                deadline = now + period;
            }

            try
            {
                if (_posesOn)
                {
                    MasterSample sample;
                    lock (_lock)
                    {
                        if (_motion is not null)
                        {
                            _current = _motion((now - _motionStartTicks) / (double)Stopwatch.Frequency);
                        }

                        sample = new MasterSample(_current, _clutch, _operatorPresent, Interlocked.Increment(ref _sequence), Stopwatch.GetTimestamp());
                    }

                    MqttPayloads.WritePose(_pose, sample);
                    Send(poseTopic, _pose);
                }

                if (_heartbeatOn && now >= nextHeartbeat)
                {
                    MqttPayloads.WriteHeartbeat(_heartbeat, Interlocked.Increment(ref _heartbeatsSent), now);
                    Send(heartbeatTopic, _heartbeat);
                    Interlocked.Exchange(ref _lastHeartbeatTicks, now);
                    nextHeartbeat = now + heartbeatPeriod;
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
            {
                // Broker gone: keep the loop alive; the controller's interlocks handle the rest.
                Thread.Sleep(10);
            }
        }
    }

    private void Send(string topic, byte[] payload)
    {
        if (!_connection.IsConnected)
        {
            return;
        }

        // Not the connection's non-throwing Publish: a failed send must reach Run, which backs off for 10 ms.
        _connection.PublishAsync(topic, payload, reliable: false, CancellationToken.None).GetAwaiter().GetResult();
    }

    private void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
        if (MqttPayloads.TryReadForce(payload, out Vec3 force, out bool active))
        {
            lock (_lock)
            {
                _lastForce = force;
                _maxForce = Math.Max(_maxForce, force.Length);
            }

            Interlocked.Increment(ref _forces);
            if (_recording)
            {
                _forceLog.Enqueue(new ForceSample(Stopwatch.GetTimestamp(), force, active));
            }

            if (active)
            {
                Interlocked.Increment(ref _activeForces);
            }
        }
    }

    /// <summary>Stops publishing and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        _running = false;
        _thread?.Join(2000);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
