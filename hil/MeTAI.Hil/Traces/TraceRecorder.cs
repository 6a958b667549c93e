using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Runner;
using MeTAI.Robotics.Control;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Traces;

/// <summary>
/// Samples a <see cref="HilRig"/> at about 1 kHz on its own thread (controller outputs, the servo twins' true positions,
/// master, patient, beam) and, when stopped, collects the event streams of every part into a <see cref="HilTrace"/>.
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    private readonly HilRig _rig;
    private readonly ConcurrentQueue<TraceSample> _samples = new();
    private readonly ConcurrentQueue<FaultRecord> _faults = new();
    private readonly ConcurrentQueue<StimulusRecord> _stimuli = new();
    private Thread? _thread;
    private volatile bool _running;
    private long[]? _latencyBinsAtStart;
    private long _crcAtStart;
    private long _collisionsAtStart;
    private StallWitness? _witness;

    /// <summary>Creates the recorder (not started).</summary>
    public TraceRecorder(HilRig rig)
    {
        ArgumentNullException.ThrowIfNull(rig);
        _rig = rig;
    }

    /// <summary>Starts sampling and turns on the twins' event recording.</summary>
    public void Start()
    {
        _rig.Servos.Recording = true;
        _rig.Proxy.Recording = true;
        _rig.Master.Recording = true;
        if (_rig.Patient is not null)
        {
            _rig.Patient.Recording = true;
        }

        _latencyBinsAtStart = _rig.Controller.Servo.HapticToServoLatency.SnapshotBins();
        _crcAtStart = _rig.Controller.Servo.BusStatistics.CrcErrors;
        _collisionsAtStart = _rig.Servos.Collisions;
        _witness = StallWitness.Shared(_rig.Options.Rig.Realtime);
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "hil-trace-recorder" };
        _thread.Start();
    }

    /// <summary>Notes an injected fault.</summary>
    public void Fault(FaultRecord fault) => _faults.Enqueue(fault);

    /// <summary>Notes a stimulus.</summary>
    public void Stimulus(string description) => _stimuli.Enqueue(new StimulusRecord(Stopwatch.GetTimestamp(), description));

    private void Run()
    {
        int n = _rig.Robot.JointCount;
        var cmd = new double[n];
        var meas = new double[n];
        while (_running)
        {
            long now = Stopwatch.GetTimestamp();
            ControllerSnapshot s = _rig.Controller.Outputs.Read(cmd, meas);
            var trueRad = new double[n];
            for (int i = 0; i < n; i++)
            {
                XmServoTwin servo = _rig.Servos.Servos[i];
                var joint = _rig.Robot.Joints[i];
                trueRad[i] = joint.OffsetRad + joint.Direction * (servo.TruePositionCounts - _rig.Robot.Servo.CenterCount) / _rig.Robot.Servo.CountsPerRad;
            }

            Vec3 tool = _rig.Robot.ForwardKinematics(trueRad).Position;
            int torque = 0;
            for (int i = 0; i < n; i++)
            {
                torque |= _rig.Servos.Servos[i].TorqueEnabled ? 1 << i : 0;
            }

            _samples.Enqueue(new TraceSample(now, s.Cycle, s.State, s.Interlocks, (double[])cmd.Clone(), (double[])meas.Clone(), trueRad, tool,
                _rig.Master.CurrentPose.Position, _rig.Patient?.DisplacementNow() ?? Vec3.Zero, _rig.Linac?.BeamOn ?? false,
                _rig.Controller.Loop.Statistics.Resyncs, torque));
            Thread.Sleep(1);
        }
    }

    /// <summary>Stops sampling and builds the trace of [<paramref name="startTicks"/>, <paramref name="endTicks"/>].</summary>
    public HilTrace Stop(long startTicks, long endTicks, TraceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _running = false;
        _thread?.Join(2000);
        _rig.Controller.Audit?.Flush();
        _rig.Servos.Recording = false;
        _rig.Proxy.Recording = false;
        _rig.Master.Recording = false;
        if (_rig.Patient is not null)
        {
            _rig.Patient.Recording = false;
        }

        Histogram latency = _rig.Controller.Servo.HapticToServoLatency;
        long[] bins = latency.SnapshotBins();
        var samplesMs = new List<double>();
        long count = 0;
        for (int i = 0; i < bins.Length; i++)
        {
            long c = bins[i] - (_latencyBinsAtStart is { } b0 && i < b0.Length ? b0[i] : 0);
            count += c;
            for (long k = 0; k < Math.Min(c, 100_000); k++)
            {
                samplesMs.Add((i + 0.5) * latency.BinUs / 1000);
            }
        }

        samplesMs.Sort();
        double P(double f) => samplesMs.Count == 0 ? 0 : samplesMs[Math.Min(samplesMs.Count - 1, (int)Math.Ceiling(f * samplesMs.Count) - 1)];
        var faults = _faults.ToList();
        return new HilTrace(_rig.Robot, startTicks, endTicks)
        {
            PeriodS = 1.0 / _rig.Options.Rig.Controller.RateHz,
            Samples = [.. _samples],
            Audit = _rig.AuditTap.Drain(),
            Bus = _rig.Servos.DrainEvents(),
            Mqtt = _rig.Proxy.DrainTrace(),
            Forces = _rig.Master.DrainForces(),
            Beams = _rig.Linac?.Intervals ?? [],
            DeliveredMu = context.BeamMu.Keys.ToDictionary(b => b, b => _rig.Linac?.DeliveredMu(b) ?? 0),
            Faults = faults,
            Stimuli = [.. _stimuli],
            ProcessStalls = _witness?.Between(startTicks - Stopwatch.Frequency, endTicks + Stopwatch.Frequency) ?? [],
            StallsWitnessed = _witness?.Authoritative == true,
            CorridorRobot = context.CorridorRobot,
            BeamPoses = context.BeamPoses,
            BeamMu = context.BeamMu,
            HapticToServoMs = (P(0.5), P(0.99), samplesMs.Count == 0 ? 0 : samplesMs[^1], count),
            LatencySamplesMs = samplesMs,
            TorqueOffWrites = _rig.Controller.Servo.TorqueOffWrites(startTicks),
            CrcErrors = _rig.Controller.Servo.BusStatistics.CrcErrors - _crcAtStart,
            BusCollisions = _rig.Servos.Collisions - _collisionsAtStart,
            AuditPath = _rig.AuditPath,
        };
    }

    /// <summary>Stops the thread.</summary>
    public void Dispose()
    {
        _running = false;
        _thread?.Join(2000);
    }
}
