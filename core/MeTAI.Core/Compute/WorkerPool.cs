using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace MeTAI.Core.Compute;

/// <summary>
/// A small pool of dedicated threads for hot loops (the optimiser's sparse products, the XPBD solver's phases).
/// <see cref="Run"/> publishes a job, wakes the workers and works on it itself; items are claimed one at a time from a
/// shared ticket, and the caller waits only for items already claimed, so a worker the operating system deschedules (a
/// shared machine) costs only the item it holds, not a barrier. Dispatch allocates nothing: no delegates, no tasks.
/// </summary>
/// <remarks>
/// <para>
/// The ticket packs (run number, item count, next item) into one 64-bit word and is claimed with an atomic increment.
/// A claim whose index is below the count proves the run is still open (the caller cannot finish it before that item
/// is done), so the job a worker reads after such a claim belongs to that run. A worker that comes late for a finished
/// run gets an index past the count and goes idle.
/// </para>
/// <para>
/// An idle worker spins for <c>spinBeforeSleep</c> (for callers that publish runs back to back, e.g. the phases of an
/// XPBD step), then sleeps until the next run; the caller takes the wake-up lock only when a worker sleeps.
/// </para>
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    /// <summary>The largest item count of one run.</summary>
    public const int MaxItems = (1 << IndexBits) - 1 - 1024;

    private const int IndexBits = 24;
    private const int CountShift = IndexBits;
    private const int RunShift = 2 * IndexBits;
    private const long IndexMask = (1L << IndexBits) - 1;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private readonly long _spinTicks;
    private IParallelJob? _job;
    private long _ticket;
    private long _run;
    private int _done;
    private int _generation;
    private int _sleepers;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _disposed;

    /// <summary>A pool using <paramref name="threads"/> threads in all, the caller counting as one.</summary>
    /// <param name="threads">Threads in all (0: one per logical CPU); at most 1024.</param>
    /// <param name="spinBeforeSleep">How long an idle worker spins before it sleeps (default: it sleeps at once).</param>
    /// <param name="name">Prefix of the worker threads' names.</param>
    public WorkerPool(int threads = 0, TimeSpan spinBeforeSleep = default, string name = "metai-worker")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(spinBeforeSleep, TimeSpan.Zero);
        ThreadCount = threads > 0 ? threads : Environment.ProcessorCount;
        _spinTicks = (long)(spinBeforeSleep.TotalSeconds * Stopwatch.Frequency);
        _threads = new Thread[ThreadCount - 1];
        for (int n = 0; n < _threads.Length; n++)
        {
            _threads[n] = new Thread(WorkerLoop) { IsBackground = true, Name = $"{name}-{n + 1}" };
            _threads[n].Start();
        }
    }

    /// <summary>Threads working on a job, including the caller.</summary>
    public int ThreadCount { get; }

    /// <summary>A shared pool with one thread per logical CPU (never disposed).</summary>
    public static WorkerPool Shared { get; } = new(name: "metai-shared");

    /// <summary>
    /// Runs items 0 … <paramref name="items"/> − 1 of <paramref name="job"/> and returns when all are done. If items
    /// throw, the others still run and the first exception is rethrown here.
    /// </summary>
    public void Run(IParallelJob job, int items)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(items, MaxItems);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (items <= 0)
        {
            return;
        }

        if (_threads.Length == 0 || items == 1)
        {
            for (int i = 0; i < items; i++)
            {
                job.Execute(i);
            }

            return;
        }

        lock (_threads)
        {
            RunShared(job, items);
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
        Wake();
        foreach (Thread t in _threads)
        {
            t.Join();
        }
    }

    private static int IndexOf(long ticket) => (int)(ticket & IndexMask);

    private static int CountOf(long ticket) => (int)((ticket >> CountShift) & IndexMask);

    private void RunShared(IParallelJob job, int items)
    {
        _job = job;
        _done = 0;
        _run = (_run % 0xFFFF) + 1; // 16 bits in the ticket, never 0 (the idle ticket's run)
        // The exchange is a full fence: a worker that claims from this ticket sees the job and the reset count.
        Interlocked.Exchange(ref _ticket, (_run << RunShift) | ((long)items << CountShift));
        if (Volatile.Read(ref _sleepers) > 0)
        {
            Wake();
        }

        RunItems();
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _done) < items)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        _job = null;
        ExceptionDispatchInfo? failure = _failure;
        if (failure is not null)
        {
            _failure = null;
            failure.Throw();
        }
    }

    /// <summary>Claims and runs items of the open run until none is left; returns the run number of the last claim.</summary>
    private long RunItems()
    {
        while (true)
        {
            long claimed = Interlocked.Increment(ref _ticket) - 1;
            int index = IndexOf(claimed);
            if (index >= CountOf(claimed))
            {
                return claimed >>> RunShift;
            }

            try
            {
                _job!.Execute(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                Interlocked.Increment(ref _done);
            }
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
        long seenRun = 0;
        long idleSince = Stopwatch.GetTimestamp();
        var spinner = default(SpinWait);
        while (!_disposed)
        {
            if (Volatile.Read(ref _ticket) >>> RunShift != seenRun)
            {
                // A new run: work on it until no item is left; the claim that found none names the run seen.
                seenRun = RunItems();
                idleSince = Stopwatch.GetTimestamp();
                spinner = default;
                continue;
            }

            if (Stopwatch.GetTimestamp() - idleSince < _spinTicks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            Sleep(seenRun);
            idleSince = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Sleeps until the caller publishes a run after <paramref name="seenRun"/> (or the pool is disposed).</summary>
    private void Sleep(long seenRun)
    {
        lock (_gate)
        {
            int generation = _generation;
            Interlocked.Increment(ref _sleepers);
            while (generation == _generation && !_disposed && Volatile.Read(ref _ticket) >>> RunShift == seenRun)
            {
                // The timeout only bounds a missed wake-up; the caller pulses when it sees a sleeper.
                Monitor.Wait(_gate, 10);
            }

            Interlocked.Decrement(ref _sleepers);
        }
    }
}
