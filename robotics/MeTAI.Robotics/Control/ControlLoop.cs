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

        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        long period = (long)Math.Round(Stopwatch.Frequency / _options.RateHz);
        long margin = (long)(_options.SpinMarginUs * 1e-6 * Stopwatch.Frequency);
        long resyncTicks = 2 * period;
        long deadline = Stopwatch.GetTimestamp() + period;
        long previousStart = 0;
        long cycle = 0;
        Statistics.ResetTiming();
        Statistics.StartTicks = deadline;
        _started.Set();
        while (_running)
        {
            PreciseSleeper.SleepUntil(deadline, margin);
            long start = Stopwatch.GetTimestamp();
            if (previousStart != 0)
            {
                Statistics.PeriodJitterUs.RecordTicks(Math.Abs(start - previousStart - period));
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

    /// <summary>Stops the loop.</summary>
    public void Dispose()
    {
        Stop();
        _started.Dispose();
    }
}
