namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// Persistent worker threads for <see cref="XpbdSolver"/>: the caller is worker 0, the others wait for the next step
/// (spinning briefly, then blocking), run the whole step in lock-step with sense-reversing spin barriers between phases,
/// and wait again. No allocation per step, no Parallel.For; the work split is fixed, so results are deterministic.
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    private const int SpinsBeforeBlocking = 2000;

    private readonly XpbdSolver _solver;
    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private int _generation;
    private bool _stopping;
    private int _arrived;
    private volatile int _sense;

    public WorkerTeam(XpbdSolver solver, int count)
    {
        _solver = solver;
        Count = count;
        _threads = new Thread[count - 1];
        for (int w = 1; w < count; w++)
        {
            int index = w;
            _threads[w - 1] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"xpbd-worker-{w}" };
            _threads[w - 1].Start();
        }
    }

    /// <summary>Number of workers including the caller.</summary>
    public int Count { get; }

    /// <summary>Wakes the other workers for one step; the caller then runs its own share.</summary>
    public void Start()
    {
        lock (_gate)
        {
            _generation++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until every worker has arrived. <paramref name="localSense"/> is the worker's own flag.</summary>
    public void Barrier(ref int localSense)
    {
        localSense ^= 1;
        if (Interlocked.Increment(ref _arrived) == Count)
        {
            _arrived = 0;
            _sense = localSense;
            return;
        }

        var spinner = default(SpinWait);
        while (_sense != localSense)
        {
            // Yield when spinning long (a shared machine) but never sleep a millisecond.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            _generation++;
            Monitor.PulseAll(_gate);
        }

        foreach (Thread t in _threads)
        {
            t.Join();
        }
    }

    private void WorkerLoop(int index)
    {
        int seen = 0;
        int sense = 0;
        while (true)
        {
            int spins = 0;
            while (Volatile.Read(ref _generation) == seen && spins++ < SpinsBeforeBlocking)
            {
                Thread.SpinWait(20);
            }

            lock (_gate)
            {
                while (_generation == seen && !_stopping)
                {
                    Monitor.Wait(_gate);
                }

                if (_stopping)
                {
                    return;
                }

                seen = _generation;
            }

            _solver.RunWorker(index, ref sense);
        }
    }
}
