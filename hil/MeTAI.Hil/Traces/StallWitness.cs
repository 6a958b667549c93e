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
/// <param name="Cpu">The CPU whose witness saw it (each witness is pinned to one), −1 if not known.</param>
public readonly record struct ProcessStall(long FromTicks, long ToTicks, double GcPauseMs, int GcGeneration = -1, int Cpu = -1)
{
    /// <summary>Length (ms).</summary>
    public double Ms => (ToTicks - FromTicks) * 1e3 / Stopwatch.Frequency;
}

/// <summary>
/// One thread per CPU, each pinned to its CPU and above every rig thread (SCHED_FIFO <see cref="Priority"/>: the
/// controller's loop runs at 80, servo IO at 70, the twins at 75 and 60), that wakes every millisecond and records when it
/// could not: a garbage collection that suspends every managed thread (the harness allocates; the controller's hot paths
/// do not), or the virtual machine's CPU not running (host steal). Nothing in the rig can pre-empt a witness, so while
/// one is late its CPU ran no rig thread. One witness is not enough on a multi-core VM: the host takes one virtual CPU
/// at a time, so a rig thread on a stolen CPU stands still while a witness on another runs on time (campaign, 2-core VM,
/// 2026-12-07: e-stop torque-off 64–81 ms against 50 ms with no stall seen by a single witness, while per-CPU probes saw
/// 10–23 ms stalls on one CPU at a time and /proc/stat counted up to 12 % steal). Judges add the witnessed stall inside a
/// reaction's window — the time in which at least one CPU stood still (<see cref="HilTrace.StallMsBetween"/>) — to its
/// bound, measured and said in the verdict, never a blanket allowance. Without real-time scheduling the witnesses run but
/// their lateness is ordinary CPU contention, which the controller's threads meet as well: they then grant nothing
/// (<see cref="Authoritative"/>).
/// </summary>
public sealed class StallWitness
{
    /// <summary>SCHED_FIFO priority: above every rig thread.</summary>
    public const int Priority = 90;

    /// <summary>Lateness below this is scheduling noise, not a stall (ms).</summary>
    public const double ThresholdMs = 2;

    private static readonly object Gate = new();
    private static StallWitness? _shared;

    private readonly CpuWitness[] _cpus;
    private volatile bool _wantRealtime;

    private StallWitness()
    {
        // One per CPU this process may run on (its affinity mask, CPUs 0–63): those are the CPUs the rig's threads use.
        int[] cpus = AllowedCpus();
        _cpus = new CpuWitness[cpus.Length];
        for (int c = 0; c < cpus.Length; c++)
        {
            _cpus[c] = new CpuWitness(this, cpus[c]);
        }
    }

    /// <summary>
    /// The process's witnesses, started on first use. <paramref name="realtime"/> asks for SCHED_FIFO (a rig run as
    /// deployed); once obtained the witnesses stay real-time.
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

    /// <summary>True once every witness runs at SCHED_FIFO <see cref="Priority"/> on its own CPU: only then does their
    /// lateness prove a stall, and only then do judges count it.</summary>
    public bool Authoritative => _cpus.All(c => c.Authoritative);

    private static int[] AllowedCpus()
    {
        long mask = 0;
        try
        {
            mask = OperatingSystem.IsLinux() || OperatingSystem.IsWindows() ? (long)Process.GetCurrentProcess().ProcessorAffinity : 0;
        }
        catch (Exception ex) when (ex is PlatformNotSupportedException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // No mask to read: the CPUs the runtime counts.
        }

        int[] allowed = [.. Enumerable.Range(0, 64).Where(c => ((mask >> c) & 1) != 0)];
        return allowed.Length > 0 ? allowed : [.. Enumerable.Range(0, Math.Clamp(Environment.ProcessorCount, 1, 64))];
    }

    /// <summary>Witnesses: one per CPU this process may run on.</summary>
    public int Cpus => _cpus.Length;

    /// <summary>Wake-ups so far, all witnesses together (they are alive).</summary>
    public long Wakes => _cpus.Sum(c => c.Wakes);

    /// <summary>The stalls, of any CPU, that overlap [<paramref name="from"/>, <paramref name="to"/>] (at most the last
    /// 16 384 of each CPU kept), ordered by start.</summary>
    public IReadOnlyList<ProcessStall> Between(long from, long to)
    {
        var list = new List<ProcessStall>();
        foreach (CpuWitness c in _cpus)
        {
            c.AddBetween(from, to, list);
        }

        list.Sort((a, b) => a.FromTicks.CompareTo(b.FromTicks));
        return list;
    }

    // The witness of one CPU: its own thread, pinned, and its own ring (one writer each).
    private sealed class CpuWitness
    {
        private const int Capacity = 1 << 14;
        private readonly StallWitness _owner;
        private readonly int _cpu;
        private readonly long[] _from = new long[Capacity];
        private readonly long[] _to = new long[Capacity];
        private readonly double[] _gcMs = new double[Capacity];
        private readonly int[] _gen = new int[Capacity];
        private readonly long _periodTicks = Stopwatch.Frequency / 1000;
        private readonly long _thresholdTicks = (long)(ThresholdMs * 1e-3 * Stopwatch.Frequency);
        private long _count;
        private long _wakes;
        private volatile bool _pinned;
        private volatile bool _authoritative;

        public CpuWitness(StallWitness owner, int cpu)
        {
            _owner = owner;
            _cpu = cpu;
            // A background thread for the life of the process: it allocates nothing after its start.
            var thread = new Thread(Run) { IsBackground = true, Name = "stall witness", Priority = ThreadPriority.Highest };
            thread.Start();
        }

        public bool Authoritative => _authoritative;

        public long Wakes => Interlocked.Read(ref _wakes);

        public void AddBetween(long from, long to, List<ProcessStall> list)
        {
            long n = Interlocked.Read(ref _count);
            for (long k = Math.Max(0, n - Capacity); k < n; k++)
            {
                int i = (int)(k & (Capacity - 1));
                long a = Volatile.Read(ref _from[i]), b = Volatile.Read(ref _to[i]);
                if (b >= from && a <= to)
                {
                    list.Add(new ProcessStall(a, b, _gcMs[i], _gen[i], _pinned ? _cpu : -1));
                }
            }
        }

        private void Run()
        {
            // Unpinned (not Linux, or a CPU this process may not use), the witness still sees process-wide stalls (a
            // collection) but not one CPU's: it then grants nothing.
            _pinned = PreciseSleeper.TryPinToCpu(_cpu);
            long next = Stopwatch.GetTimestamp() + _periodTicks;
            double gcBefore = GC.GetTotalPauseDuration().TotalMilliseconds;
            int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
            while (true)
            {
                if (_owner._wantRealtime && !_authoritative && _pinned && PreciseSleeper.TrySetRealtimePriority(Priority))
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
}
