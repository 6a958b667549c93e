using System.Diagnostics;
using MeTAI.Robotics.Control;

namespace MeTAI.Hil.Traces;

/// <summary>
/// One stall of the whole test process, as the <see cref="StallWitness"/> saw it: from when its thread was due to wake to
/// when it ran, with the garbage collector's pause time that fell in between.
/// </summary>
/// <param name="FromTicks">Due to wake (Stopwatch ticks).</param>
/// <param name="ToTicks">Ran (Stopwatch ticks).</param>
/// <param name="GcPauseMs">The runtime's total GC pause time that grew meanwhile (ms): a stall mostly made of it was a
/// collection that suspended every managed thread of the process, the rig's included.</param>
/// <param name="GcGeneration">The oldest generation collected meanwhile (0–2), −1 if no collection was counted yet (a
/// collection's count can lag its pause).</param>
public readonly record struct ProcessStall(long FromTicks, long ToTicks, double GcPauseMs, int GcGeneration = -1)
{
    /// <summary>Length (ms).</summary>
    public double Ms => (ToTicks - FromTicks) * 1e3 / Stopwatch.Frequency;
}

/// <summary>
/// A thread above every rig thread (SCHED_FIFO <see cref="Priority"/>: the controller's loop runs at 80, servo IO at 70,
/// the twins at 75 and 60) that wakes every millisecond and records when it could not: a stall of the whole test process
/// — a garbage collection that suspends every managed thread (the harness allocates; the controller's hot paths do not),
/// or the virtual machine itself not running (host steal). Nothing in the rig can pre-empt it, so while it is late no
/// rig thread ran either, and a reaction timed across that window was slowed by the test machine, not by the
/// controller. Judges add the witnessed stall inside a reaction's window to its bound, measured and said in the verdict
/// (<see cref="HilTrace.StallMsBetween"/>), never a blanket allowance. Without real-time scheduling the witness runs but
/// its lateness is ordinary CPU contention, which the controller's threads meet as well: it then grants nothing
/// (<see cref="Authoritative"/>).
/// </summary>
public sealed class StallWitness
{
    /// <summary>SCHED_FIFO priority: above every rig thread.</summary>
    public const int Priority = 90;

    /// <summary>Lateness below this is scheduling noise, not a stall (ms).</summary>
    public const double ThresholdMs = 2;

    private const int Capacity = 1 << 14;
    private static readonly object Gate = new();
    private static StallWitness? _shared;

    private readonly long[] _from = new long[Capacity];
    private readonly long[] _to = new long[Capacity];
    private readonly double[] _gcMs = new double[Capacity];
    private readonly int[] _gen = new int[Capacity];
    private readonly long _periodTicks = Stopwatch.Frequency / 1000;
    private readonly long _thresholdTicks = (long)(ThresholdMs * 1e-3 * Stopwatch.Frequency);
    private long _count;
    private volatile bool _authoritative;
    private volatile bool _wantRealtime;
    private long _wakes;

    private StallWitness()
    {
        // A background thread for the life of the process: it allocates nothing after its start.
        var thread = new Thread(Run) { IsBackground = true, Name = "stall witness", Priority = ThreadPriority.Highest };
        thread.Start();
    }

    /// <summary>
    /// The process's witness, started on first use. <paramref name="realtime"/> asks for SCHED_FIFO (a rig run as
    /// deployed); once obtained the witness stays real-time.
    /// </summary>
    public static StallWitness Shared(bool realtime)
    {
        lock (Gate)
        {
            _shared ??= new StallWitness();
            if (realtime)
            {
                _shared._wantRealtime = true;
            }

            return _shared;
        }
    }

    /// <summary>True once the witness runs at SCHED_FIFO <see cref="Priority"/>: only then does its lateness prove a stall
    /// of the whole process, and only then do judges count it.</summary>
    public bool Authoritative => _authoritative;

    /// <summary>Wake-ups so far (it is alive).</summary>
    public long Wakes => Interlocked.Read(ref _wakes);

    /// <summary>The stalls that overlap [<paramref name="from"/>, <paramref name="to"/>] (at most the last 16 384 kept).</summary>
    public IReadOnlyList<ProcessStall> Between(long from, long to)
    {
        long n = Interlocked.Read(ref _count);
        var list = new List<ProcessStall>();
        for (long k = Math.Max(0, n - Capacity); k < n; k++)
        {
            int i = (int)(k & (Capacity - 1));
            long a = Volatile.Read(ref _from[i]), b = Volatile.Read(ref _to[i]);
            if (b >= from && a <= to)
            {
                list.Add(new ProcessStall(a, b, _gcMs[i], _gen[i]));
            }
        }

        return list;
    }

    private void Run()
    {
        long next = Stopwatch.GetTimestamp() + _periodTicks;
        double gcBefore = GC.GetTotalPauseDuration().TotalMilliseconds;
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        while (true)
        {
            if (_wantRealtime && !_authoritative && PreciseSleeper.TrySetRealtimePriority(Priority))
            {
                _authoritative = true;
                next = Stopwatch.GetTimestamp() + _periodTicks;
            }

            PreciseSleeper.SleepUntil(next, 0);
            long now = Stopwatch.GetTimestamp();
            double gc = GC.GetTotalPauseDuration().TotalMilliseconds;
            int c0 = GC.CollectionCount(0), c1 = GC.CollectionCount(1), c2 = GC.CollectionCount(2);
            Interlocked.Increment(ref _wakes);
            if (now - next > _thresholdTicks)
            {
                long k = Interlocked.Read(ref _count);
                int i = (int)(k & (Capacity - 1));
                _from[i] = next;
                _to[i] = now;
                _gcMs[i] = gc - gcBefore;
                _gen[i] = c2 != g2 ? 2 : c1 != g1 ? 1 : c0 != g0 ? 0 : -1;
                Interlocked.Increment(ref _count);
            }

            gcBefore = gc;
            (g0, g1, g2) = (c0, c1, c2);
            // Re-based after a stall: one record per stall, not a burst of catch-up wakes.
            next = Math.Max(next + _periodTicks, now + _periodTicks / 2);
        }
    }
}
