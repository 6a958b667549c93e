namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Persistent helper threads for <see cref="XpbdSolver"/>, driven as a phased work queue. The caller publishes a phase
/// (a few independent items: one per region, plus the shared nodes) in one 64-bit word — phase id, item flags, item
/// count, next index — and every running thread, the caller included, claims items with an atomic increment. Only the
/// caller waits, and only for items already claimed. A helper that the OS has descheduled (a shared machine) therefore
/// costs nothing: the caller does the work. Items of a phase touch disjoint nodes, so who does which never changes the
/// result. No allocation per step.
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    private const int IndexBits = 32;
    private const int CountShift = 32;
    private const int FlagsShift = 40;
    private const int PhaseShift = 46;
    private const long SpinTicksBeforeSleep = 5_000; // ~0.5 ms in 100 ns ticks

    private readonly XpbdSolver _solver;
    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private long _ticket;
    private int _done;
    private long _phase;
    private int _generation;
    private int _sleepers;
    private volatile bool _stopping;

    public WorkerTeam(XpbdSolver solver, int count)
    {
        _solver = solver;
        Count = count;
        _threads = new Thread[count - 1];
        for (int w = 1; w < count; w++)
        {
            _threads[w - 1] = new Thread(WorkerLoop) { IsBackground = true, Name = $"xpbd-worker-{w}" };
            _threads[w - 1].Start();
        }
    }

    /// <summary>Threads including the caller.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="items"/> items of kind <paramref name="flags"/> on whichever threads are running;
    /// returns when all are done.</summary>
    public void RunPhase(int flags, int items)
    {
        _done = 0;
        _phase++;
        Interlocked.Exchange(ref _ticket, (_phase << PhaseShift) | ((long)flags << FlagsShift) | ((long)items << CountShift));
        if (Volatile.Read(ref _sleepers) > 0)
        {
            Wake();
        }

        while (true)
        {
            long claimed = Interlocked.Increment(ref _ticket) - 1;
            int index = (int)(claimed & uint.MaxValue);
            if (index >= items)
            {
                break;
            }

            _solver.RunItem(flags, index);
            Interlocked.Increment(ref _done);
        }

        var spinner = default(SpinWait);
        while (Volatile.Read(ref _done) < items)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        Wake();
        foreach (Thread t in _threads)
        {
            t.Join();
        }
    }

    private void Wake()
    {
        lock (_gate)
        {
            _generation++;
            Monitor.PulseAll(_gate);
        }
    }

    private void WorkerLoop()
    {
        long seenPhase = 0;
        long idleSince = DateTime.UtcNow.Ticks;
        var spinner = default(SpinWait);
        while (!_stopping)
        {
            long ticket = Volatile.Read(ref _ticket);
            long phase = ticket >>> PhaseShift;
            if (phase != seenPhase)
            {
                long claimed = Interlocked.Increment(ref _ticket) - 1;
                int index = (int)(claimed & uint.MaxValue);
                int count = (int)((claimed >> CountShift) & 0xFF);
                if (index < count)
                {
                    // The phase cannot move on before this item is done: flags and count are those of the claim.
                    _solver.RunItem((int)((claimed >> FlagsShift) & 0x3F), index);
                    Interlocked.Increment(ref _done);
                }
                else
                {
                    seenPhase = claimed >>> PhaseShift;
                }

                idleSince = DateTime.UtcNow.Ticks;
                spinner = default;
                continue;
            }

            if (DateTime.UtcNow.Ticks - idleSince < SpinTicksBeforeSleep)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            // Idle for a while (between steps of a real-time loop): sleep until the caller publishes again.
            lock (_gate)
            {
                int generation = _generation;
                Interlocked.Increment(ref _sleepers);
                while (generation == _generation && !_stopping && (Volatile.Read(ref _ticket) >>> PhaseShift) == seenPhase)
                {
                    Monitor.Wait(_gate, 10);
                }

                Interlocked.Decrement(ref _sleepers);
            }

            idleSince = DateTime.UtcNow.Ticks;
        }
    }
}
