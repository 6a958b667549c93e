using MeTAI.Core.Compute;

namespace MeTAI.Core.Tests.Compute;

public class WorkerPoolTests
{
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(3, 0.0)]
    [InlineData(3, 0.5)]
    public void Run_ManyRuns_EveryItemRunsExactlyOnce(int threads, double spinMs)
    {
        using var pool = new WorkerPool(threads, TimeSpan.FromMilliseconds(spinMs));
        var job = new CountingJob(257);
        var expected = new int[257];
        for (int run = 0; run < 2000; run++)
        {
            int items = 1 + (run % 257);
            pool.Run(job, items);
            for (int i = 0; i < items; i++)
            {
                expected[i]++;
            }

            Assert.Equal(expected, job.Counts);
        }
    }

    [Fact]
    public void Run_CallerWorksToo_EvenWhenNoWorkerWakes()
    {
        // Items that block until the caller has run one of them cannot deadlock: the caller claims items itself.
        using var pool = new WorkerPool(2);
        var job = new ThreadsJob();
        pool.Run(job, 64);
        Assert.Equal(64, job.Ran);
        Assert.True(job.ByCaller > 0);
    }

    [Fact]
    public void Run_ItemThrows_OthersStillRunAndTheExceptionReachesTheCaller()
    {
        using var pool = new WorkerPool(2);
        var job = new ThrowingJob(7);
        var e = Assert.Throws<InvalidOperationException>(() => pool.Run(job, 32));
        Assert.Equal("item 7", e.Message);
        Assert.Equal(31, job.Ran);

        // The pool stays usable.
        var counting = new CountingJob(8);
        pool.Run(counting, 8);
        Assert.All(counting.Counts, c => Assert.Equal(1, c));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Run_AllocatesNothingPerDispatch(double spinMs)
    {
        using var pool = new WorkerPool(2, TimeSpan.FromMilliseconds(spinMs));
        var job = new CountingJob(16);
        pool.Run(job, 16);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int run = 0; run < 1000; run++)
        {
            pool.Run(job, 16);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Run_FromSeveralCallers_RunsAreSerialisedAndComplete()
    {
        using var pool = new WorkerPool(2);
        var jobs = new CountingJob[3];
        var callers = new Thread[jobs.Length];
        for (int c = 0; c < callers.Length; c++)
        {
            var job = jobs[c] = new CountingJob(50);
            callers[c] = new Thread(() =>
            {
                for (int run = 0; run < 200; run++)
                {
                    pool.Run(job, 50);
                }
            });
            callers[c].Start();
        }

        foreach (Thread t in callers)
        {
            t.Join();
        }

        Assert.All(jobs, j => Assert.All(j.Counts, c => Assert.Equal(200, c)));
    }

    [Fact]
    public void Constructor_DefaultThreads_OnePerLogicalCpu_AndDisposeStopsTheWorkers()
    {
        var pool = new WorkerPool();
        Assert.Equal(Environment.ProcessorCount, pool.ThreadCount);
        pool.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Run(new CountingJob(2), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkerPool(2).Run(new CountingJob(1), WorkerPool.MaxItems + 1));
    }

    private sealed class CountingJob(int capacity) : IParallelJob
    {
        public int[] Counts { get; } = new int[capacity];

        public void Execute(int item) => Interlocked.Increment(ref Counts[item]);
    }

    private sealed class ThreadsJob : IParallelJob
    {
        private readonly int _caller = Environment.CurrentManagedThreadId;
        private int _ran;
        private int _byCaller;

        public int Ran => _ran;

        public int ByCaller => _byCaller;

        public void Execute(int item)
        {
            if (Environment.CurrentManagedThreadId == _caller)
            {
                Interlocked.Increment(ref _byCaller);
            }
            else
            {
                // A worker never finishes before the caller has run an item: only the caller can make progress first.
                SpinWait.SpinUntil(() => Volatile.Read(ref _byCaller) > 0);
            }

            Interlocked.Increment(ref _ran);
        }
    }

    private sealed class ThrowingJob(int bad) : IParallelJob
    {
        private int _ran;

        public int Ran => _ran;

        public void Execute(int item)
        {
            if (item == bad)
            {
                throw new InvalidOperationException($"item {item}");
            }

            Interlocked.Increment(ref _ran);
        }
    }
}
