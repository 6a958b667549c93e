using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Devices;

/// <summary>
/// A patient-motion source on MQTT (a surface or breathing monitor): publishes the target's displacement from its
/// planning position (patient LPS mm) at <see cref="RateHz"/> — regular breathing along an axis plus any injected spike.
/// Fault hooks: a spike (sudden displacement), silence (stale monitor). The true displacement is recorded.
/// </summary>
public sealed class PatientMotionTwin(MqttEndpoint endpoint, string robot) : MqttDevice(endpoint, robot)
{
    private readonly ConcurrentQueue<(long Ticks, Vec3 DisplacementMm)> _log = new();
    private Thread? _thread;
    private volatile bool _running;
    private volatile bool _silent;
    private Vec3 _spikeMm;
    private long _startTicks;
    private long _sequence;
    private readonly Lock _lock = new();

    /// <summary>Publishing rate (Hz).</summary>
    public double RateHz { get; set; } = 50;

    /// <summary>Breathing amplitude (mm, peak).</summary>
    public double BreathingAmplitudeMm { get; set; } = 1.5;

    /// <summary>Breathing period (s).</summary>
    public double BreathingPeriodS { get; set; } = 4;

    /// <summary>Breathing direction (patient LPS; normalised).</summary>
    public Vec3 BreathingAxis { get; set; } = new(0, 0, 1);

    /// <summary>Keep the published displacements while true.</summary>
    public bool Recording { get; set; }

    /// <summary>The displacement now (breathing + spike, mm).</summary>
    public Vec3 DisplacementNow()
    {
        double t = (Stopwatch.GetTimestamp() - _startTicks) / (double)Stopwatch.Frequency;
        Vec3 axis = BreathingAxis.Length > 0 ? BreathingAxis / BreathingAxis.Length : Vec3.Zero;
        Vec3 spike;
        lock (_lock)
        {
            spike = _spikeMm;
        }

        return axis * (BreathingAmplitudeMm * Math.Sin(2 * Math.PI * t / BreathingPeriodS)) + spike;
    }

    /// <summary>Fault hook: the target jumps by <paramref name="displacementMm"/> (cough, shift) until cleared with zero.</summary>
    public void SetSpike(Vec3 displacementMm)
    {
        lock (_lock)
        {
            _spikeMm = displacementMm;
        }
    }

    /// <summary>Fault hook: stop (true) or resume publishing.</summary>
    public void SetSilent(bool silent) => _silent = silent;

    /// <summary>Takes the recorded displacements.</summary>
    public IReadOnlyList<(long Ticks, Vec3 DisplacementMm)> Drain()
    {
        var list = new List<(long, Vec3)>(_log.Count);
        while (_log.TryDequeue(out var e))
        {
            list.Add(e);
        }

        return list;
    }

    /// <summary>No spike, publishing (HIL runs reusing one rig).</summary>
    public void ResetForRun()
    {
        SetSpike(Vec3.Zero);
        _silent = false;
    }

    /// <inheritdoc />
    protected override void OnStarted()
    {
        _startTicks = Stopwatch.GetTimestamp();
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "patient-motion-twin" };
        _thread.Start();
    }

    private void Run()
    {
        long period = (long)(Stopwatch.Frequency / RateHz);
        long next = Stopwatch.GetTimestamp();
        while (_running)
        {
            next += period;
            long wait = next - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }
            else if (-wait > 10 * period)
            {
                next = Stopwatch.GetTimestamp();
            }

            Vec3 d = DisplacementNow();
            if (Recording)
            {
                _log.Enqueue((Stopwatch.GetTimestamp(), d));
            }

            if (!_silent)
            {
                Publish(Topics.PatientMotion, BeamJson.FormatPatientMotion(d, ++_sequence));
            }
        }
    }

    /// <inheritdoc />
    protected override void OnStopping()
    {
        _running = false;
        _thread?.Join(2000);
    }
}
