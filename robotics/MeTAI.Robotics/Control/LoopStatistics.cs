namespace MeTAI.Robotics.Control;

/// <summary>
/// Timing of the control loop, recorded by the loop itself: period jitter (|actual start-to-start interval −
/// nominal period|), wake lateness against the absolute deadline, step duration, overruns (a step that ended after
/// the next deadline), catch-up resyncs, and the runtime's GC pause time while the loop ran.
/// </summary>
public sealed class LoopStatistics
{
    /// <summary>|interval − period| in µs.</summary>
    public Histogram PeriodJitterUs { get; } = new(50_000, 1);

    /// <summary>Start − deadline in µs.</summary>
    public Histogram LatenessUs { get; } = new(50_000, 1);

    /// <summary>Step duration in µs.</summary>
    public Histogram StepUs { get; } = new(50_000, 1);

    private long _cycles;
    private long _overruns;
    private long _resyncs;

    /// <summary>Cycles run.</summary>
    public long Cycles => Interlocked.Read(ref _cycles);

    /// <summary>Cycles whose step ended after the next deadline.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>Times the loop fell more than two periods behind and re-based its deadlines instead of catching up.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);

    /// <summary>GC pause time at start (for the delta).</summary>
    public TimeSpan GcPauseAtStart { get; internal set; }

    /// <summary>GC collections (every generation; a gen1 or gen2 collection also counts as gen0) at start.</summary>
    public int GcCountAtStart { get; internal set; }

    /// <summary>Stopwatch ticks when the loop started and (if stopped) ended.</summary>
    public long StartTicks { get; internal set; }

    /// <summary>Stopwatch ticks of the last cycle start.</summary>
    public long LastTicks { get; internal set; }

    /// <summary>Stopwatch ticks of the start of the cycle with the largest period jitter since the last reset (0: none yet).</summary>
    public long WorstJitterAtTicks { get; internal set; }

    /// <summary>That cycle's jitter in Stopwatch ticks.</summary>
    internal long WorstJitterTicks { get; set; }

    /// <summary>True if SCHED_FIFO was obtained.</summary>
    public bool Realtime { get; internal set; }

    /// <summary>GC pause time (ms) since the loop started.</summary>
    public double GcPauseMs => (GC.GetTotalPauseDuration() - GcPauseAtStart).TotalMilliseconds;

    /// <summary>GC collections since the loop started.</summary>
    public int GcCount => GC.CollectionCount(0) - GcCountAtStart;

    private long _gcSlots;

    /// <summary>Gen0 collections the loop ran itself in the idle part of a cycle (<see cref="ControllerOptions.GcSlotBudgetBytes"/>).</summary>
    public long GcSlots => Interlocked.Read(ref _gcSlots);

    /// <summary>Time (µs) the loop's own collections took.</summary>
    public Histogram GcSlotUs { get; } = new(50_000, 1);

    internal void CountGcSlot() => Interlocked.Increment(ref _gcSlots);

    internal void CountCycle() => Interlocked.Increment(ref _cycles);

    internal void CountOverrun() => Interlocked.Increment(ref _overruns);

    internal void CountResync() => Interlocked.Increment(ref _resyncs);

    /// <summary>Forgets timing samples (e.g. after warm-up) but keeps counting cycles.</summary>
    public void ResetTiming()
    {
        PeriodJitterUs.Reset();
        LatenessUs.Reset();
        StepUs.Reset();
        GcSlotUs.Reset();
        Interlocked.Exchange(ref _gcSlots, 0);
        Interlocked.Exchange(ref _overruns, 0);
        Interlocked.Exchange(ref _resyncs, 0);
        WorstJitterTicks = 0;
        WorstJitterAtTicks = 0;
        GcPauseAtStart = GC.GetTotalPauseDuration();
        GcCountAtStart = GC.CollectionCount(0);
    }
}
