using System.Diagnostics;
using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Devices;

/// <summary>
/// A linac's beam interface on MQTT. Asked to deliver a beam (number and MU), it requests that beam in its status and
/// irradiates only while the controller's latest beam permit (<c>beam/gate</c>) is fresh (≤ <see cref="PermitTimeoutMs"/>),
/// granted, and for that beam; a withdrawn or stale permit turns the beam off at once (beam hold) and a returning one
/// resumes it until the MU are delivered. Its status (<c>beam/state</c>: on/off, requested beam, last gate sequence
/// acted on) goes out on every change and at 20 Hz. Every beam-on interval is recorded.
/// </summary>
public sealed class LinacTwin(MqttEndpoint endpoint, string robot, double doseRateMuPerMin = 600) : MqttDevice(endpoint, robot)
{
    private readonly Lock _lock = new();
    private readonly List<BeamInterval> _intervals = [];
    private readonly Dictionary<int, double> _delivered = [];
    private Thread? _thread;
    private volatile bool _running;
    private bool _gatePermit;
    private int _gateBeam;
    private long _gateSeq;
    private long _gateTicks;
    private int _requestBeam;
    private double _requestMu;
    private bool _on;
    private long _onTicks;
    private double _intervalMu;
    private long _statusSeq;
    private long _lastStatusTicks;
    private long _lastTickTicks;
    private volatile bool _statusSilent;

    /// <summary>Dose rate (MU/min).</summary>
    public double DoseRateMuPerMin { get; set; } = doseRateMuPerMin;

    /// <summary>A permit older than this counts as withdrawn (ms).</summary>
    public double PermitTimeoutMs { get; set; } = 150;

    /// <summary>True while the beam is on.</summary>
    public bool BeamOn
    {
        get
        {
            lock (_lock)
            {
                return _on;
            }
        }
    }

    /// <summary>The beam being delivered or waiting for its permit (0: none).</summary>
    public int RequestedBeam
    {
        get
        {
            lock (_lock)
            {
                return _requestBeam;
            }
        }
    }

    /// <summary>Beam-on intervals so far (closed and the open one).</summary>
    public IReadOnlyList<BeamInterval> Intervals
    {
        get
        {
            lock (_lock)
            {
                var list = new List<BeamInterval>(_intervals);
                if (_on)
                {
                    list.Add(new BeamInterval(_requestBeam, _onTicks, 0, _intervalMu, "on"));
                }

                return list;
            }
        }
    }

    /// <summary>MU delivered to <paramref name="beam"/> so far.</summary>
    public double DeliveredMu(int beam)
    {
        lock (_lock)
        {
            return _delivered.GetValueOrDefault(beam);
        }
    }

    /// <summary>Requests delivery of <paramref name="mu"/> MU of <paramref name="beam"/> (replaces any request).</summary>
    public void Deliver(int beam, double mu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beam);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mu);
        lock (_lock)
        {
            EndInterval(Stopwatch.GetTimestamp(), "aborted");
            _requestBeam = beam;
            _requestMu = mu + _delivered.GetValueOrDefault(beam);
        }

        SendStatus();
    }

    /// <summary>Drops the request (beam off).</summary>
    public void Abort()
    {
        lock (_lock)
        {
            EndInterval(Stopwatch.GetTimestamp(), "aborted");
            _requestBeam = 0;
        }

        SendStatus();
    }

    /// <summary>Forgets intervals and deliveries (HIL runs reusing one rig).</summary>
    public void ResetForRun()
    {
        Abort();
        lock (_lock)
        {
            _intervals.Clear();
            _delivered.Clear();
        }

        _statusSilent = false;
    }

    /// <summary>Fault hook: stop (true) or resume publishing the status (the controller must then treat the beam as possibly on).</summary>
    public void SetStatusSilent(bool silent) => _statusSilent = silent;

    /// <inheritdoc />
    protected override IEnumerable<string> Subscriptions => [Topics.BeamGate];

    /// <inheritdoc />
    protected override void OnStarted()
    {
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "linac-twin" };
        _thread.Start();
        SendStatus();
    }

    /// <inheritdoc />
    protected override void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
        if (topic != Topics.BeamGate || !BeamJson.TryReadGate(payload, out bool permit, out int beam, out long seq))
        {
            return;
        }

        bool changed;
        lock (_lock)
        {
            if (seq < _gateSeq)
            {
                return;
            }

            changed = seq != _gateSeq;
            _gatePermit = permit;
            _gateBeam = beam;
            _gateSeq = seq;
            _gateTicks = Stopwatch.GetTimestamp();
            changed |= Update(_gateTicks);
        }

        if (changed)
        {
            // Acknowledge a new permit state at once: the controller waits for it before moving after a withdrawal.
            SendStatus();
        }
    }

    private void Run()
    {
        while (_running)
        {
            Thread.Sleep(1);
            long now = Stopwatch.GetTimestamp();
            bool changed;
            lock (_lock)
            {
                changed = Update(now);
            }

            if (changed || now - Interlocked.Read(ref _lastStatusTicks) > Stopwatch.Frequency / 20)
            {
                SendStatus();
            }
        }
    }

    // With the lock held: integrates the delivered MU and switches the beam; true when on/off changed.
    private bool Update(long now)
    {
        if (_on && _lastTickTicks != 0)
        {
            double mu = DoseRateMuPerMin / 60.0 * (now - _lastTickTicks) / Stopwatch.Frequency;
            mu = Math.Min(mu, _requestMu - _delivered.GetValueOrDefault(_requestBeam));
            _intervalMu += mu;
            _delivered[_requestBeam] = _delivered.GetValueOrDefault(_requestBeam) + mu;
        }

        _lastTickTicks = now;
        bool fresh = _gateTicks != 0 && (now - _gateTicks) * 1000.0 / Stopwatch.Frequency <= PermitTimeoutMs;
        bool remaining = _requestBeam > 0 && _delivered.GetValueOrDefault(_requestBeam) < _requestMu - 1e-9;
        bool on = remaining && fresh && _gatePermit && _gateBeam == _requestBeam;
        if (on == _on)
        {
            return false;
        }

        if (on)
        {
            _on = true;
            _onTicks = now;
            _intervalMu = 0;
        }
        else
        {
            EndInterval(now, !remaining ? "complete" : !fresh ? "permit stale" : "permit withdrawn");
            if (!remaining)
            {
                _requestBeam = 0;
            }
        }

        return true;
    }

    private void EndInterval(long now, string reason)
    {
        if (_on)
        {
            _intervals.Add(new BeamInterval(_requestBeam, _onTicks, now, _intervalMu, reason));
            _on = false;
        }
    }

    private void SendStatus()
    {
        if (_statusSilent)
        {
            return;
        }

        byte[] payload;
        lock (_lock)
        {
            payload = BeamJson.FormatLinacState(_on, _requestBeam, _gateSeq, _delivered.GetValueOrDefault(_requestBeam), ++_statusSeq);
        }

        Interlocked.Exchange(ref _lastStatusTicks, Stopwatch.GetTimestamp());
        Publish(Topics.BeamState, payload, reliable: true);
    }

    /// <inheritdoc />
    protected override void OnStopping()
    {
        _running = false;
        _thread?.Join(2000);
        lock (_lock)
        {
            EndInterval(Stopwatch.GetTimestamp(), "stopped");
        }
    }
}
