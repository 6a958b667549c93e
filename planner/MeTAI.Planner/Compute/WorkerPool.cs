namespace MeTAI.Planner.Compute;

/// <summary>
/// A small pool of dedicated threads for the optimiser's hot loops. <see cref="Run"/> publishes a job, wakes the
/// workers and works on it itself; chunks are claimed one at a time from a shared ticket, so a worker the operating
/// system deschedules (a shared 2-core machine) costs only the chunk it holds, not a barrier. Dispatch allocates
/// nothing: no delegates, no tasks.
/// </summary>
/// <remarks>
/// The ticket packs (run number, next chunk) into one 64-bit word. A worker that wakes late for a finished run sees a
/// stale run number or no chunk left and goes back to sleep; a successful compare-exchange on (run, chunk) proves the
/// run is still open, so the job it read belongs to that run.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim _wake = new(0);
    private IParallelJob? _job;
    private int _chunks;
    private long _ticket;
    private int _done;
    private int _run;
    private volatile bool _disposed;

    /// <summary>A pool using <paramref name="threads"/> threads in all (the caller counts as one).</summary>
    public WorkerPool(int threads = 0)
    {
        ThreadCount = threads > 0 ? threads : Environment.ProcessorCount;
        _threads = new Thread[ThreadCount - 1];
        for (int n = 0; n < _threads.Length; n++)
        {
            _threads[n] = new Thread(WorkerLoop) { IsBackground = true, Name = "metai-planner-" + n };
            _threads[n].Start();
        }
    }

    /// <summary>Threads working on a job, including the caller.</summary>
    public int ThreadCount { get; }

    /// <summary>A shared pool with one thread per logical CPU.</summary>
    public static WorkerPool Shared { get; } = new();

    /// <summary>Runs chunks 0 … <paramref name="chunks"/> − 1 of <paramref name="job"/> and returns when all are done.</summary>
    public void Run(IParallelJob job, int chunks)
    {
        ArgumentNullException.ThrowIfNull(job);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (chunks <= 0)
        {
            return;
        }

        if (_threads.Length == 0 || chunks == 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                job.Execute(c);
            }

            return;
        }

        lock (_threads)
        {
            _run++;
            _job = job;
            _chunks = chunks;
            Volatile.Write(ref _done, 0);
            Volatile.Write(ref _ticket, (long)_run << 32);
            _wake.Release(Math.Min(_threads.Length, chunks - 1));
            Work();
            var spin = default(SpinWait);
            while (Volatile.Read(ref _done) < chunks)
            {
                spin.SpinOnce();
            }

            _job = null;
        }
    }

    private void Work()
    {
        while (true)
        {
            long t = Volatile.Read(ref _ticket);
            IParallelJob? job = _job;
            int chunks = _chunks;
            int chunk = (int)(t & 0xffffffff);
            if (job is null || chunk >= chunks)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _ticket, t + 1, t) != t)
            {
                continue;
            }

            try
            {
                job.Execute(chunk);
            }
            finally
            {
                Interlocked.Increment(ref _done);
            }
        }
    }

    private void WorkerLoop()
    {
        while (true)
        {
            _wake.Wait();
            if (_disposed)
            {
                return;
            }

            Work();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed || ReferenceEquals(this, Shared))
        {
            return;
        }

        _disposed = true;
        if (_threads.Length > 0)
        {
            _wake.Release(_threads.Length);
        }

        foreach (Thread t in _threads)
        {
            t.Join();
        }

        _wake.Dispose();
    }
}
