using System.Diagnostics;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.ServoBus;
using MeTAI.Simulation;

namespace MeTAI.Benchmarks.Control;

/// <summary>
/// The control benchmark: the controller with its production defaults (1 kHz, 30 ms heartbeat watchdog) against the
/// twins on real transports — embedded broker, haptic master publishing at 1 kHz, pty servo chain — following a
/// 2 cm circle at the master inside a 20 mm corridor. Measures loop timing and haptic-to-servo latency after a
/// warm-up. If a hold interrupts following (a late heartbeat on a loaded machine), it resumes and counts it.
/// </summary>
public static class ControlBench
{
    /// <summary>Runs the benchmark for <paramref name="seconds"/> (plus warm-up).</summary>
    /// <param name="robot">The arm.</param>
    /// <param name="seconds">Seconds to measure.</param>
    /// <param name="options">Scheduling, GC and process settings.</param>
    /// <param name="log">Progress messages.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<ControlBenchResult> RunAsync(RobotModel robot, double seconds, ControlBenchOptions? options = null,
        Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(robot);
        options ??= new ControlBenchOptions();
        bool realtime = options.Realtime;
        ControlBenchDevicesInfo? devices = options.Devices;
        using GcTrace? trace = options.GcTrace ? new GcTrace() : null;
        await using SimulatedRig rig = await SimulatedRig.StartAsync(new SimulatedRigOptions
        {
            Robot = robot,
            Corridor = SimulatedRig.CorridorAroundHome(robot, radiusMm: 20),
            Controller = new ControllerOptions { UseRealtimeScheduling = realtime, GcSlotBudgetBytes = options.GcSlotBudgetBytes },
            ServoIo = new ServoIoOptions { UseRealtimeScheduling = realtime },
            ExternalBroker = devices is null ? null : ("127.0.0.1", devices.BrokerPort),
            Users = devices?.Users,
            ExternalServoPath = devices?.ServoPath,
            ExternalMaster = devices is not null,
            EStopButton = devices is null,
            NoGcRegionBytes = options.NoGcRegionBytes,
        }, cancellationToken).ConfigureAwait(false);

        log?.Invoke($"broker 127.0.0.1:{rig.BrokerPort}, servos on {rig.ServoPath}" + (devices is null ? "" : " (devices in their own process)"));
        int interruptions = 0;
        await FollowAsync(rig, cancellationToken).ConfigureAwait(false);
        if (devices is null)
        {
            // (The devices process draws the same circle from its start.)
            rig.Master.Follow(ControlBenchDevices.Circle(rig.MasterHome));
        }

        // Warm-up: JIT, tiered compilation, caches.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        LoopStatistics loop = rig.Controller.Loop.Statistics;
        ServoIo servo = rig.Controller.Servo;
        loop.ResetTiming();
        servo.HapticToServoLatency.Reset();
        long cycles0 = loop.Cycles;
        long writes0 = servo.GoalWrites;
        long twinWrites0 = rig.Servos?.SyncWrites ?? 0;
        long resumingTicks = 0, resumingWrites = 0;
        long tx0 = servo.BusStatistics.Transactions;
        long timeouts0 = servo.BusStatistics.Timeouts;
        long noGcOpened0 = rig.Controller.NoGc?.Opened ?? 0;
        long noGcExhausted0 = rig.Controller.NoGc?.Exhausted ?? 0;
        trace?.Record(true);
        long measureStart = Stopwatch.GetTimestamp();
        var sw = Stopwatch.StartNew();
        TimeSpan pause = GC.GetTotalPauseDuration();
        int collections = GC.CollectionCount(0);
        double pauseMaxMs = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            (TimeSpan p, int c) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0));
            if (c > collections)
            {
                pauseMaxMs = Math.Max(pauseMaxMs, (p - pause).TotalMilliseconds / (c - collections));
            }

            (pause, collections) = (p, c);
            if (rig.Controller.State != SafetyState.Following)
            {
                interruptions++;
                log?.Invoke($"left Following: {rig.Controller.Core.LastStopTransition.State} on {rig.Controller.Core.LastStopTransition.Interlocks}; resuming");
                long resumeStart = Stopwatch.GetTimestamp();
                long writesBefore = rig.Servos?.SyncWrites ?? 0;
                await FollowAsync(rig, cancellationToken).ConfigureAwait(false);
                resumingTicks += Stopwatch.GetTimestamp() - resumeStart;
                resumingWrites += (rig.Servos?.SyncWrites ?? 0) - writesBefore;
            }
        }

        double elapsed = sw.Elapsed.TotalSeconds;
        trace?.Record(false);
        long cycles = loop.Cycles - cycles0;
        Histogram lat = servo.HapticToServoLatency;
        return new ControlBenchResult
        {
            Seconds = elapsed,
            RateHz = cycles / elapsed,
            Cycles = cycles,
            PeriodJitterUs = Of(loop.PeriodJitterUs),
            LatenessUs = Of(loop.LatenessUs),
            StepUs = Of(loop.StepUs),
            WorstJitterAtS = loop.WorstJitterAtTicks == 0 ? null : (double)(loop.WorstJitterAtTicks - measureStart) / Stopwatch.Frequency,
            Overruns = loop.Overruns,
            Resyncs = loop.Resyncs,
            GcPauseMs = loop.GcPauseMs,
            GcCount = loop.GcCount,
            GcPauseMaxMs = pauseMaxMs,
            GcSlots = loop.GcSlots,
            GcSlotUs = Of(loop.GcSlotUs),
            HapticToServoLatencyMs = new Percentiles(lat.Percentile(0.5) / 1000, lat.Percentile(0.99) / 1000, lat.Percentile(0.999) / 1000, lat.MaxUs / 1000),
            LatencySamples = lat.Count,
            GoalWritesPerSecond = (servo.GoalWrites - writes0) / elapsed,
            ServoGoalRateHz = rig.Servos is { } twin ? (twin.SyncWrites - twinWrites0) / elapsed : null,
            ServoGoalRateFollowingHz = rig.Servos is { } twin2
                ? (twin2.SyncWrites - twinWrites0 - resumingWrites) / (elapsed - ((double)resumingTicks / Stopwatch.Frequency))
                : null,
            SerialTransactionsPerSecond = (servo.BusStatistics.Transactions - tx0) / elapsed,
            SerialTimeouts = servo.BusStatistics.Timeouts - timeouts0,
            Interruptions = interruptions,
            Realtime = loop.Realtime,
            DevicesInOwnProcess = devices is not null,
            GcTrace = trace?.Result(),
            NoGcRegionBytes = rig.Controller.NoGc?.Bytes,
            NoGcRegionsOpened = rig.Controller.NoGc is { } noGc ? noGc.Opened - noGcOpened0 : null,
            NoGcRegionsExhausted = rig.Controller.NoGc is { } noGc2 ? noGc2.Exhausted - noGcExhausted0 : null,
        };
    }

    private static async Task FollowAsync(SimulatedRig rig, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                switch (rig.Controller.State)
                {
                    case SafetyState.Paused:
                        await rig.CommandAndWaitAsync(ControllerCommandKind.Resume, SafetyState.Ready, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                        await rig.CommandAndWaitAsync(ControllerCommandKind.StartTeleop, SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                        break;
                    case SafetyState.Fault:
                    case SafetyState.EStop:
                        await rig.CommandAndWaitAsync(ControllerCommandKind.Reset, SafetyState.Disabled, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                        await rig.BringToFollowingAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    case SafetyState.Following:
                        return;
                    case SafetyState.Ready:
                        await rig.CommandAndWaitAsync(ControllerCommandKind.StartTeleop, SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                        break;
                    case SafetyState.Disabled:
                        await rig.BringToFollowingAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        if (!await rig.Controller.WaitForStateAsync(SafetyState.Following, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
                        {
                            throw new TimeoutException($"Stuck in {rig.Controller.State}.");
                        }

                        break;
                }

                return;
            }
            catch (TimeoutException) when (attempt < 10)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Percentiles Of(Histogram h) => new(h.Percentile(0.5), h.Percentile(0.99), h.Percentile(0.999), h.MaxUs);
}

/// <summary>Settings of <see cref="ControlBench.RunAsync"/>.</summary>
public sealed record ControlBenchOptions
{
    /// <summary>Try SCHED_FIFO for the loop and servo IO threads.</summary>
    public bool Realtime { get; init; }

    /// <summary>The process's gen0 budget: the loop then runs the collections itself (<see cref="ControllerOptions.GcSlotBudgetBytes"/>).</summary>
    public long? GcSlotBudgetBytes { get; init; }

    /// <summary>The controller's no-GC region while the arm is still (<see cref="NoGcRegionSteward"/>); null: off.</summary>
    public long? NoGcRegionBytes { get; init; }

    /// <summary>
    /// The broker, servo chain and master run in another process (<see cref="ControlBenchDevices"/>), which announced
    /// these; null runs them in this one.
    /// </summary>
    public ControlBenchDevicesInfo? Devices { get; init; }

    /// <summary>Listen to the runtime's GC events and report each collection and the largest allocators (<see cref="Control.GcTrace"/>; a diagnostic that perturbs the figures a little).</summary>
    public bool GcTrace { get; init; }
}
