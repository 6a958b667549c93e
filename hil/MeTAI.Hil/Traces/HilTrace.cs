using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Hil.Mqtt;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Haptics;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Traces;

/// <summary>
/// Everything recorded during one scenario run, on one clock (Stopwatch ticks): rig samples, the controller's audit
/// stream (transitions, interlocks, beam permits), bus events seen by the servo twins, MQTT messages seen by the
/// proxy, forces at the master, beam-on intervals, patient motion, and the faults and stimuli as applied.
/// Assertions judge it; reports plot it.
/// </summary>
public sealed class HilTrace
{
    /// <summary>Creates a trace.</summary>
    public HilTrace(RobotModel robot, long startTicks, long endTicks)
    {
        Robot = robot;
        StartTicks = startTicks;
        EndTicks = endTicks;
    }

    /// <summary>The robot.</summary>
    public RobotModel Robot { get; }

    /// <summary>Scenario time 0.</summary>
    public long StartTicks { get; }

    /// <summary>Scenario end.</summary>
    public long EndTicks { get; }

    /// <summary>Loop period (s).</summary>
    public double PeriodS { get; init; } = 0.001;

    /// <summary>Rig samples.</summary>
    public IReadOnlyList<TraceSample> Samples { get; init; } = [];

    /// <summary>The controller's audit events (also those before time 0).</summary>
    public IReadOnlyList<AuditEvent> Audit { get; init; } = [];

    /// <summary>Bus events.</summary>
    public IReadOnlyList<BusEvent> Bus { get; init; } = [];

    /// <summary>MQTT PUBLISH packets through the proxy.</summary>
    public IReadOnlyList<MqttTraceMessage> Mqtt { get; init; } = [];

    /// <summary>Force messages received by the master.</summary>
    public IReadOnlyList<ForceSample> Forces { get; init; } = [];

    /// <summary>Beam-on intervals.</summary>
    public IReadOnlyList<BeamInterval> Beams { get; init; } = [];

    /// <summary>Faults as injected.</summary>
    public IReadOnlyList<FaultRecord> Faults { get; init; } = [];

    /// <summary>Stimuli as applied.</summary>
    public IReadOnlyList<StimulusRecord> Stimuli { get; init; } = [];

    /// <summary>Corridor in the robot frame (m), if the fixture was on.</summary>
    public Corridor? CorridorRobot { get; init; }

    /// <summary>Planned beam poses (robot frame) by beam number.</summary>
    public IReadOnlyDictionary<int, Pose> BeamPoses { get; init; } = new Dictionary<int, Pose>();

    /// <summary>Planned MU by beam number.</summary>
    public IReadOnlyDictionary<int, double> BeamMu { get; init; } = new Dictionary<int, double>();

    /// <summary>MU delivered by beam number (linac twin).</summary>
    public IReadOnlyDictionary<int, double> DeliveredMu { get; init; } = new Dictionary<int, double>();

    /// <summary>Haptic → servo latency percentiles (ms) as the controller measured them: p50, p99, max, count.</summary>
    public (double P50, double P99, double Max, long Count) HapticToServoMs { get; init; }

    /// <summary>Latency samples for the histogram (ms).</summary>
    public IReadOnlyList<double> LatencySamplesMs { get; init; } = [];

    /// <summary>Bad serial frames the controller counted and dropped during the run.</summary>
    public long CrcErrors { get; init; }

    /// <summary>Collisions on the servo wire during the run (instructions that met a reply or a rogue talker: both lost).</summary>
    public long BusCollisions { get; init; }

    /// <summary>The controller's servo IO thread's torque-off writes during the run: when each was asked for and when it went
    /// on the wire (Stopwatch ticks; <see cref="MeTAI.Robotics.ServoBus.ServoIo.TorqueOffWrites"/>).</summary>
    public IReadOnlyList<(long RequestedTicks, long WrittenTicks)> TorqueOffWrites { get; init; } = [];

    /// <summary>Stalls of the test machine during the run, each of one CPU (<see cref="StallWitness"/>).</summary>
    public IReadOnlyList<ProcessStall> ProcessStalls { get; init; } = [];

    /// <summary>True when the stall witness ran above every rig thread (SCHED_FIFO): only then do its stalls relax a
    /// timing bound.</summary>
    public bool StallsWitnessed { get; init; }

    /// <summary>
    /// How long the test machine stood still inside [<paramref name="from"/>, <paramref name="to"/>] (ms): the time in the
    /// window during which at least one CPU's witness was held up (the union of the witnessed stalls of every CPU, so a
    /// collection that every witness saw counts once), 0 when the witnesses were not real-time. A reaction timed across
    /// that window gets exactly this added to its bound, and its verdict says so.
    /// </summary>
    public double StallMsBetween(long from, long to)
    {
        if (!StallsWitnessed || to <= from)
        {
            return 0;
        }

        long sum = 0, end = from;
        foreach (ProcessStall s in ProcessStalls.OrderBy(s => s.FromTicks))
        {
            long a = Math.Max(end, s.FromTicks), b = Math.Min(to, s.ToTicks);
            if (b > a)
            {
                sum += b - a;
            }

            end = Math.Max(end, Math.Min(to, s.ToTicks));
        }

        return sum * 1e3 / Stopwatch.Frequency;
    }

    /// <summary>Garbage collection inside the witnessed stalls that overlap [<paramref name="from"/>, <paramref name="to"/>]
    /// (ms): a collection holds up every CPU's witness, so it is counted on the CPU that saw the most.</summary>
    public double GcMsBetween(long from, long to) => ProcessStalls.Where(s => s.ToTicks >= from && s.FromTicks <= to)
        .GroupBy(s => s.Cpu).Select(g => g.Sum(s => s.GcPauseMs)).DefaultIfEmpty(0).Max();

    /// <summary>The audit log file of the run.</summary>
    public string? AuditPath { get; init; }

    /// <summary>Seconds from time 0.</summary>
    public double Seconds(long ticks) => (ticks - StartTicks) / (double)Stopwatch.Frequency;

    /// <summary>Ticks at scenario time <paramref name="seconds"/>.</summary>
    public long TicksAt(double seconds) => StartTicks + (long)(seconds * Stopwatch.Frequency);

    /// <summary>Milliseconds between two tick stamps.</summary>
    public static double Ms(long fromTicks, long toTicks) => (toTicks - fromTicks) * 1e3 / Stopwatch.Frequency;

    private List<StateTransition>? _transitions;
    private List<InterlockRaise>? _raises;

    /// <summary>Supervisor transitions, in order.</summary>
    public IReadOnlyList<StateTransition> Transitions => _transitions ??= [.. Audit.Where(e => e.Kind == "transition").Select(e => new StateTransition(
        e.Cycle, Long(e, "cycleTicks") ?? e.MonotonicTicks, Enum.Parse<SafetyState>(Field(e, "from")!), Enum.Parse<SafetyState>(Field(e, "to")!),
        Field(e, "trigger") ?? "", Field(e, "interlocks") ?? "", e.MonotonicTicks))];

    /// <summary>Interlocks raised, in order.</summary>
    public IReadOnlyList<InterlockRaise> Raises => _raises ??= [.. Audit.Where(e => e.Kind == "interlockRaised").Select(e => new InterlockRaise(
        e.Cycle, Long(e, "cycleTicks") ?? e.MonotonicTicks, Enum.Parse<Interlocks>(Field(e, "interlock")!), Long(e, "inputTicks") ?? 0, Long(e, "inputCycle") ?? -1, e.MonotonicTicks))];

    /// <summary>The state at <paramref name="ticks"/> (by the transitions' deadlines).</summary>
    public SafetyState StateAt(long ticks)
    {
        SafetyState s = SafetyState.Disabled;
        foreach (StateTransition t in Transitions)
        {
            if (t.CycleTicks > ticks)
            {
                break;
            }

            s = t.To;
        }

        return s;
    }

    /// <summary>Intervals [from, to) during which the state was one of <paramref name="states"/> (clipped to the run).</summary>
    public IEnumerable<(long From, long To, StateTransition? Entry)> StateIntervals(IReadOnlyCollection<SafetyState> states)
    {
        SafetyState current = StateAt(StartTicks);
        long since = StartTicks;
        StateTransition? entry = null;
        foreach (StateTransition t in Transitions.Where(t => t.CycleTicks > StartTicks && t.CycleTicks <= EndTicks))
        {
            if (states.Contains(current))
            {
                yield return (since, t.CycleTicks, entry);
            }

            current = t.To;
            since = t.CycleTicks;
            entry = t;
        }

        if (states.Contains(current))
        {
            yield return (since, EndTicks, entry);
        }
    }

    /// <summary>Loop re-bases recorded between two instants (a machine stall; timing bounds are then relaxed and say so).</summary>
    public long ResyncsBetween(long from, long to)
    {
        long a = -1, b = -1;
        foreach (TraceSample s in Samples)
        {
            if (s.Ticks <= from)
            {
                a = s.Resyncs;
            }

            if (s.Ticks <= to + Stopwatch.Frequency / 100)
            {
                b = s.Resyncs;
            }
        }

        if (a < 0 && Samples.Count > 0)
        {
            a = Samples[0].Resyncs;
        }

        return Math.Max(0, b - a);
    }

    /// <summary>True when <paramref name="ticks"/> lies inside an injected fault (plus <paramref name="afterMs"/> after it).</summary>
    public bool DuringFault(long ticks, double afterMs)
    {
        long after = (long)(afterMs * 1e-3 * Stopwatch.Frequency);
        foreach (FaultRecord f in Faults)
        {
            long end = f.EndTicks == 0 ? (f.StartTicks + after) : f.EndTicks + after;
            if (ticks >= f.StartTicks && ticks <= end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A string field of an audit event.</summary>
    public static string? Field(AuditEvent e, string name)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (KeyValuePair<string, string> kv in e.Fields)
        {
            if (kv.Key == name)
            {
                return kv.Value;
            }
        }

        return null;
    }

    /// <summary>A numeric field of an audit event.</summary>
    public static long? Long(AuditEvent e, string name) =>
        long.TryParse(Field(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;
}
