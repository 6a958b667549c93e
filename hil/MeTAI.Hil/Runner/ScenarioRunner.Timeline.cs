using System.Diagnostics;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Runner;

// One run on a started rig: the timeline's stimuli and the fault schedule played on scenario time (faults timed from
// the first beam-on included), the trace recorded, the assertions judged, the artefacts written.
public static partial class ScenarioRunner
{
    private static async Task<ScenarioResult> RunCoreAsync(HilRig rig, Scenario scenario, Prepared prepared, ScenarioRunOptions options,
        Stopwatch wall, CancellationToken cancellationToken)
    {
        options.Log?.Invoke($"{scenario.Name}: bringing the controller to {scenario.Start}");
        await rig.BringToAsync(scenario.Start, cancellationToken).ConfigureAwait(false);
        using var recorder = new TraceRecorder(rig);
        recorder.Start();
        long t0 = Stopwatch.GetTimestamp();
        long Due(double s) => t0 + (long)(s * Stopwatch.Frequency);
        if (scenario.MasterMotion is { } motion)
        {
            rig.Master.Play(motion.Build(), rig.MasterHome);
            recorder.Stimulus("master " + motion.Kind);
        }

        using var runCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = new List<(double At, int Order, Func<Task> Act)>();
        foreach (TimelineStep step in scenario.Timeline)
        {
            events.Add((step.AtS, 1, () => StepAsync(rig, recorder, step, prepared, (scenario.Radiotherapy?.PoseToleranceMm ?? 1) / 1000, runCts.Token)));
        }

        var active = new Dictionary<string, (long Start, Func<Task>? Undo, FaultSpec Spec)>();
        int injected = 0;
        var afterBeamOn = scenario.Faults.Where(f => f.AfterBeamOnS is not null).ToList();
        Task<int> beamTriggered = afterBeamOn.Count == 0 || rig.Linac is null
            ? Task.FromResult(0)
            : Task.Run(() => AfterBeamOnFaultsAsync(rig, recorder, afterBeamOn, runCts.Token), CancellationToken.None);
        foreach (FaultSpec f in scenario.Faults.Where(f => f.AfterBeamOnS is null))
        {
            events.Add((f.AtS, 0, async () =>
            {
                long start = Stopwatch.GetTimestamp();
                Func<Task>? undo = await FaultInjector.StartAsync(f, rig, runCts.Token).ConfigureAwait(false);
                injected++;
                if (undo is null)
                {
                    recorder.Fault(new FaultRecord(f.Id, f.Kind, f.Describe(), start, 0));
                }
                else
                {
                    active[f.Id] = (start, undo, f);
                }
            }));
            if (f.DurationS > 0)
            {
                events.Add((f.EndS, -1, async () =>
                {
                    if (active.Remove(f.Id, out var a) && a.Undo is not null)
                    {
                        long removing = Stopwatch.GetTimestamp();
                        await a.Undo().ConfigureAwait(false);
                        recorder.Fault(new FaultRecord(f.Id, f.Kind, f.Describe(), a.Start, Stopwatch.GetTimestamp(), removing));
                    }
                }));
            }
        }

        foreach ((double at, _, Func<Task> act) in events.OrderBy(e => e.At).ThenBy(e => e.Order))
        {
            if (at > scenario.DurationS)
            {
                break;
            }

            long wait = Due(at) - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
            }

            await act().ConfigureAwait(false);
        }

        long endWait = Due(scenario.DurationS) - Stopwatch.GetTimestamp();
        if (endWait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(endWait / (double)Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
        }

        long tEnd = Stopwatch.GetTimestamp();

        // A short tail: a reaction that began just before the end still shows on the bus and in the samples.
        await Task.Delay(TraceTailMs, cancellationToken).ConfigureAwait(false);
        await runCts.CancelAsync().ConfigureAwait(false);
        injected += await beamTriggered.ConfigureAwait(false);
        foreach ((string id, var a) in active)
        {
            // Still active at the end: recorded as lasting to the end, then removed (a reused rig starts clean anyway).
            recorder.Fault(new FaultRecord(id, a.Spec.Kind, a.Spec.Describe(), a.Start, tEnd));
            if (a.Undo is not null)
            {
                await a.Undo().ConfigureAwait(false);
            }
        }

        var context = new TraceContext
        {
            CorridorRobot = prepared.Corridor?.Transformed(prepared.Robot.PatientToRobot, "robot base m"),
            BeamPoses = prepared.Beams.ToDictionary(b => b.Beam.Number, b => b.Pose),
            BeamMu = prepared.Beams.ToDictionary(b => b.Beam.Number, b => b.Mu),
        };
        HilTrace trace = recorder.Stop(t0, tEnd, context);
        var results = scenario.Assertions.Select(a => AssertionEvaluator.Evaluate(a, trace, scenario)).ToList();
        var result = new ScenarioResult
        {
            Scenario = scenario,
            Assertions = results,
            FaultsInjected = injected,
            Trace = trace,
            WallSeconds = wall.Elapsed.TotalSeconds,
            SetupAttempts = rig.LastSetupAttempts,
            StopBeforeFaults = StopBeforeFaults(trace),
            UnsafeOptions = rig.Controller.Core.HasUnsafeTestOptions ? rig.Options.Unsafe?.ToString() : null,
            ReportDirectory = options.ReportDirectory,
            ProcessStalls = trace.StallsWitnessed && trace.ProcessStalls.Count > 0
                ? (trace.ProcessStalls.Max(x => x.Ms), trace.GcMsBetween(long.MinValue, long.MaxValue)) : default,
        };
        if (options.ReportDirectory is { } dir)
        {
            result = Reports.ScenarioArtefacts.Write(result, dir, options.Plots);
        }
        else if (options.FailureReportDirectory is { } failures && result.Violations > 0)
        {
            // FOLDER/NAME/report.md, its artefacts in FOLDER/NAME/NAME/ (the layout of any report).
            string folder = Path.Combine(failures, scenario.Name);
            result = Reports.ScenarioArtefacts.Write(result, Path.Combine(folder, scenario.Name), options.Plots);
            Reports.HilReport.Write([result], folder, $"A run that broke a safety assertion, as it ran (on a campaign's rig, possibly reused after other runs): `{scenario.Name}`");
        }

        options.Log?.Invoke($"{scenario.Name}: {(result.Passed ? "passed" : "FAILED")} ({results.Count(r => r.Passed)}/{results.Count} assertions, {injected} faults)");
        return options.KeepTrace ? result : new ScenarioResult
        {
            Scenario = result.Scenario,
            Assertions = result.Assertions,
            FaultsInjected = result.FaultsInjected,
            WallSeconds = result.WallSeconds,
            SetupAttempts = result.SetupAttempts,
            StopBeforeFaults = result.StopBeforeFaults,
            UnsafeOptions = result.UnsafeOptions,
            ReportDirectory = result.ReportDirectory,
            Plots = result.Plots,
            Artefacts = result.Artefacts,
            ProcessStalls = result.ProcessStalls,
        };
    }

    // The first stop written before the first fault began (a run without faults: before the end), by its interlocks.
    private static string? StopBeforeFaults(HilTrace trace)
    {
        long firstFault = trace.Faults.Count > 0 ? trace.Faults.Min(f => f.StartTicks) : trace.EndTicks;
        StateTransition? stop = trace.Transitions.FirstOrDefault(x => x.WrittenTicks >= trace.StartTicks && x.WrittenTicks < firstFault
            && x.To is SafetyState.Paused or SafetyState.Fault or SafetyState.EStop);
        return stop is null ? null : $"{stop.To}: {stop.Interlocks}";
    }

    // Faults timed from the first beam-on: wait for it, then inject each at its offset and remove it after its duration
    // (or when the run ends). Returns how many were injected.
    private static async Task<int> AfterBeamOnFaultsAsync(HilRig rig, TraceRecorder recorder, IReadOnlyList<FaultSpec> faults, CancellationToken cancellationToken)
    {
        int injected = 0;
        try
        {
            while (rig.Linac!.Intervals.Count == 0)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            long beamOn = rig.Linac.Intervals[0].StartTicks;
            var running = new List<Task>();
            foreach (FaultSpec f in faults.OrderBy(f => f.AfterBeamOnS))
            {
                long wait = beamOn + (long)(f.AfterBeamOnS!.Value * Stopwatch.Frequency) - Stopwatch.GetTimestamp();
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
                }

                long start = Stopwatch.GetTimestamp();
                Func<Task>? undo = await FaultInjector.StartAsync(f, rig, cancellationToken).ConfigureAwait(false);
                injected++;
                if (undo is null)
                {
                    recorder.Fault(new FaultRecord(f.Id, f.Kind, f.Describe(), start, 0));
                    continue;
                }

                running.Add(EndAfterAsync(f, start, undo));
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run ended before the beam came on or before the next offset: what was started has been removed.
        }

        return injected;

        async Task EndAfterAsync(FaultSpec f, long start, Func<Task> undo)
        {
            try
            {
                if (f.DurationS > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(f.DurationS), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Still active at the end of the run: removed now, recorded as lasting until now.
            }

            long removing = Stopwatch.GetTimestamp();
            await undo().ConfigureAwait(false);
            recorder.Fault(new FaultRecord(f.Id, f.Kind, f.Describe(), start, Stopwatch.GetTimestamp(), removing));
        }
    }

    private static async Task StepAsync(HilRig rig, TraceRecorder recorder, TimelineStep step, Prepared prepared, double poseToleranceM, CancellationToken cancellationToken)
    {
        recorder.Stimulus(step.Describe());
        switch (step.Kind)
        {
            case StepKind.Command:
                rig.Operator.Send(new ControllerCommand { Kind = step.Command, JointRad = step.JointRad, Acknowledge = step.Pressed, Operator = "hil-timeline" });
                break;
            case StepKind.Master:
                rig.Master.Play(step.Motion!.Build(), rig.Master.CurrentPose);
                break;
            case StepKind.Clutch:
                rig.Master.SetClutch(step.Pressed);
                break;
            case StepKind.Deadman:
                rig.Master.SetOperatorPresent(step.Pressed);
                break;
            case StepKind.EStop:
                rig.EStop.Set(step.Pressed);
                break;
            case StepKind.WaitFor:
                {
                    var sw = Stopwatch.StartNew();
                    while (!step.States.Contains(rig.State) && sw.Elapsed.TotalSeconds < step.TimeoutS)
                    {
                        await Task.Delay(2, cancellationToken).ConfigureAwait(false);
                    }

                    if (!step.States.Contains(rig.State))
                    {
                        recorder.Stimulus($"wait for {string.Join("|", step.States)} timed out in {rig.State}");
                    }

                    break;
                }

            case StepKind.DeliverPlan:
                _ = Task.Run(() => DeliverPlanAsync(rig, recorder, prepared, poseToleranceM, cancellationToken), cancellationToken);
                break;
            default:
                break;
        }
    }
}
