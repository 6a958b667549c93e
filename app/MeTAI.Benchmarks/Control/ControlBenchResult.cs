namespace MeTAI.Benchmarks.Control;

/// <summary>What <c>metai bench control</c> measured (times in µs or ms as named).</summary>
public sealed record ControlBenchResult
{
    /// <summary>Seconds measured (after warm-up).</summary>
    public required double Seconds { get; init; }

    /// <summary>Loop cycles per second.</summary>
    public required double RateHz { get; init; }

    /// <summary>Cycles measured.</summary>
    public required long Cycles { get; init; }

    /// <summary>|start-to-start interval − period| percentiles and maximum (µs).</summary>
    public required Percentiles PeriodJitterUs { get; init; }

    /// <summary>When the largest period jitter happened (seconds into the measurement; compare <see cref="GcTracePause.AtS"/>).</summary>
    public double? WorstJitterAtS { get; init; }

    /// <summary>Wake-up lateness against the absolute deadline (µs).</summary>
    public required Percentiles LatenessUs { get; init; }

    /// <summary>Control step duration (µs).</summary>
    public required Percentiles StepUs { get; init; }

    /// <summary>Steps that ended after the next deadline.</summary>
    public required long Overruns { get; init; }

    /// <summary>Times the loop re-based its schedule after falling more than two periods behind.</summary>
    public required long Resyncs { get; init; }

    /// <summary>GC pause time in the process while measuring (ms).</summary>
    public required double GcPauseMs { get; init; }

    /// <summary>GC collections while measuring.</summary>
    public required int GcCount { get; init; }

    /// <summary>
    /// Longest pause of one collection while measuring (ms), from the pause total sampled every 50 ms (two collections
    /// in one sample count as their mean).
    /// </summary>
    public required double GcPauseMaxMs { get; init; }

    /// <summary>Collections the loop ran itself between steps (its GC slot; 0 when off).</summary>
    public required long GcSlots { get; init; }

    /// <summary>Duration of the loop's own collections (µs).</summary>
    public required Percentiles GcSlotUs { get; init; }

    /// <summary>The gen0 budget the process ran with (bytes; <c>DOTNET_GCgen0size</c>), null for the runtime's default.</summary>
    public long? GcGen0BudgetBytes { get; init; }

    /// <summary>Master sample sent → goals written on the serial port, per master sample that reached the bus (ms).</summary>
    public required Percentiles HapticToServoLatencyMs { get; init; }

    /// <summary>Latency samples.</summary>
    public required long LatencySamples { get; init; }

    /// <summary>Goal Sync-Writes per second on the serial bus.</summary>
    public required double GoalWritesPerSecond { get; init; }

    /// <summary>
    /// The servo goal rate: goal Sync Writes per second that reached the servo chain twin (counted by the twin, so lost or
    /// collided writes do not count); null with <c>--split</c>, where the twin runs in the devices process.
    /// </summary>
    public double? ServoGoalRateHz { get; init; }

    /// <summary>
    /// <see cref="ServoGoalRateHz"/> without the time the bench spent bringing the arm back to Following after an
    /// interruption (torque off, re-homing: no goals to write) — the rate while the loop was driving the arm.
    /// </summary>
    public double? ServoGoalRateFollowingHz { get; init; }

    /// <summary>Serial transactions per second.</summary>
    public required double SerialTransactionsPerSecond { get; init; }

    /// <summary>Serial timeouts while measuring.</summary>
    public required long SerialTimeouts { get; init; }

    /// <summary>Times the controller left Following during the run (holds under load), each resumed automatically.</summary>
    public required int Interruptions { get; init; }

    /// <summary>SCHED_FIFO obtained for the loop thread.</summary>
    public required bool Realtime { get; init; }

    /// <summary>The broker, servo chain and haptic master ran in a process of their own (<c>--split</c>).</summary>
    public bool DevicesInOwnProcess { get; init; }

    /// <summary>Bytes of the controller's no-GC region while the arm is still; null when off.</summary>
    public long? NoGcRegionBytes { get; init; }

    /// <summary>No-GC regions opened while measuring; null when off.</summary>
    public long? NoGcRegionsOpened { get; init; }

    /// <summary>No-GC regions spent while measuring (each ends in an ordinary collection); null when off.</summary>
    public long? NoGcRegionsExhausted { get; init; }

    /// <summary>The devices process's nice value (<c>--split --devices-nice</c>), null without <c>--split</c>.</summary>
    public int? DevicesNice { get; init; }

    /// <summary>The runtime's GC events while measuring (<c>--gc-trace</c>), else null.</summary>
    public GcTraceResult? GcTrace { get; init; }

    /// <summary>Logical processors.</summary>
    public int ProcessorCount { get; init; } = Environment.ProcessorCount;
}

/// <summary>p50/p99/p99.9/max.</summary>
/// <param name="P50">Median.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Maximum.</param>
public sealed record Percentiles(double P50, double P99, double P999, double Max);
