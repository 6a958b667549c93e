using System.Diagnostics;
using System.Runtime;

namespace MeTAI.Robotics.Control;

/// <summary>
/// The dedicated control thread: runs <see cref="ControlCore.Step"/> at absolute deadlines <c>t0 + k·period</c>
/// (sleep, then spin the last margin), counts overruns, and if it falls more than two periods behind re-bases its deadlines
/// rather than running a burst of catch-up cycles (their goals would advance faster than real time). Owns the safety supervisor for its lifetime.
/// </summary>
public sealed class ControlLoop : IDisposable
{
    private readonly ControlCore _core;
    private readonly ControllerOptions _options;
    private Thread? _thread;
    private volatile bool _running;
    private readonly ManualResetEventSlim _started = new();
    private long _stallUntilTicks;

    /// <summary>Creates the loop for <paramref name="core"/>.</summary>
    public ControlLoop(ControlCore core, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(core);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _core = core;
        _options = options;
    }

    /// <summary>Timing statistics.</summary>
    public LoopStatistics Statistics { get; } = new();

    /// <summary>True while running.</summary>
    public bool IsRunning => _running;

    /// <summary>Starts the thread.</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            throw new InvalidOperationException("The loop is already running.");
        }

        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "control-loop", Priority = ThreadPriority.Highest };
        _thread.Start();
        _started.Wait();
    }

    /// <summary>Stops the thread and waits for it.</summary>
    public void Stop()
    {
        _running = false;
        _thread?.Join(5000);
        _thread = null;
    }

    private void Run()
    {
        _core.Supervisor.TakeOwnership();
        PreciseSleeper.SetMinimalTimerSlack();
        if (_options.UseRealtimeScheduling)
        {
            Statistics.Realtime = PreciseSleeper.TrySetRealtimePriority();
        }

        try
        {
            GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        }
        catch (InvalidOperationException)
        {
            // A no-GC region someone opened (the steward, a HIL run's) already keeps collections away; the mode cannot
            // be changed while it lasts.
        }
        long period = (long)Math.Round(Stopwatch.Frequency / _options.RateHz);
        long margin = (long)(_options.SpinMarginUs * 1e-6 * Stopwatch.Frequency);
        long resyncTicks = 2 * period;
        long deadline = Stopwatch.GetTimestamp() + period;
        long previousStart = 0;
        long cycle = 0;
        long gcHalfBudget = _options.GcSlotBudgetBytes is { } budget ? budget / 2 : long.MaxValue;
        long gcSlotTicks = (long)(_options.GcSlotMinimumUs * 1e-6 * Stopwatch.Frequency);
        int gcCount = GC.CollectionCount(0);
        long gcAllocatedAt = GC.GetTotalAllocatedBytes(false);
        Statistics.ResetTiming();
        Statistics.StartTicks = deadline;
        _started.Set();
        while (_running)
        {
            StallIfAsked();
            PreciseSleeper.SleepUntil(deadline, margin);
            long start = Stopwatch.GetTimestamp();
            if (previousStart != 0)
            {
                long jitter = Math.Abs(start - previousStart - period);
                Statistics.PeriodJitterUs.RecordTicks(jitter);
                if (jitter > Statistics.WorstJitterTicks)
                {
                    Statistics.WorstJitterTicks = jitter;
                    Statistics.WorstJitterAtTicks = start;
                }
            }

            Statistics.LatenessUs.RecordTicks(start - deadline);
            previousStart = start;
            Statistics.LastTicks = start;

            _core.Step(deadline, cycle);

            long end = Stopwatch.GetTimestamp();
            Statistics.StepUs.RecordTicks(end - start);
            Statistics.CountCycle();
            cycle++;
            deadline += period;
            if (gcHalfBudget != long.MaxValue)
            {
                end = CollectInSlot(end, deadline, gcHalfBudget, gcSlotTicks, ref gcCount, ref gcAllocatedAt);
            }

            if (end > deadline)
            {
                Statistics.CountOverrun();
                if (end - deadline > resyncTicks)
                {
                    // Far behind (a stall of the whole machine): re-base instead of running a burst of catch-up
                    // cycles, whose goals would advance faster than real time.
                    deadline = end + period;
                    Statistics.CountResync();
                }
            }
        }
    }

    /// <summary>
    /// HIL fault hook (<c>relayFeedStopped</c>): the loop thread stops for <paramref name="duration"/> before its next
    /// cycle, as a real stall would (a priority inversion, a page fault storm, a debugger). Nothing else is touched: the
    /// servo IO thread sees no new goal, stops feeding the power relay after <see cref="ServoBus.ServoIoOptions.LoopStallMs"/>,
    /// and the relay cuts servo power; the loop finds it by read-back when it runs again. Internal: the harness only.
    /// </summary>
    internal void StallFor(TimeSpan duration) =>
        Volatile.Write(ref _stallUntilTicks, Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency));

    private void StallIfAsked()
    {
        long until = Volatile.Read(ref _stallUntilTicks);
        long now = Stopwatch.GetTimestamp();
        if (until > now)
        {
            Thread.Sleep(TimeSpan.FromSeconds((until - now) / (double)Stopwatch.Frequency));
            Volatile.Write(ref _stallUntilTicks, 0);
        }
    }

    /// <summary>
    /// The loop's GC slot: once half the gen0 budget has been allocated since the last collection (by any thread), and
    /// enough of this cycle is left, collect gen0 now — between steps — rather than let another thread's allocation
    /// trigger it at a random moment. Returns the time after it.
    /// </summary>
    private long CollectInSlot(long now, long deadline, long halfBudget, long slotTicks, ref int count, ref long allocatedAt)
    {
        int c = GC.CollectionCount(0);
        long allocated = GC.GetTotalAllocatedBytes(false);
        if (c != count)
        {
            (count, allocatedAt) = (c, allocated);
            return now;
        }

        if (allocated - allocatedAt < halfBudget || deadline - now < slotTicks)
        {
            return now;
        }

        GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: false);
        long after = Stopwatch.GetTimestamp();
        Statistics.GcSlotUs.RecordTicks(after - now);
        Statistics.CountGcSlot();
        (count, allocatedAt) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes(false));
        return after;
    }

    /// <summary>Stops the loop.</summary>
    public void Dispose()
    {
        Stop();
        _started.Dispose();
    }
}
