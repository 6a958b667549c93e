using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Runs a scenario against the real controller over real transports: starts a <see cref="HilRig"/>, brings the
/// controller to the scenario's start state with operator commands over MQTT, plays the timeline and the fault schedule
/// on scenario time, records the trace, judges the assertions and (with a report folder) writes plots, the trace, the
/// beam log and the audit log. The demo and the CLI call <see cref="RunAsync"/>.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>How long recording goes on after the scenario's end (ms), so reactions begun just before it are observed.</summary>
    public const int TraceTailMs = 150;

    /// <summary>Runs <paramref name="scenario"/> on a rig of its own.</summary>
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new ScenarioRunOptions();
        var wall = Stopwatch.StartNew();
        Prepared prepared;
        try
        {
            prepared = Prepare(scenario, options);
        }
        catch (Exception ex) when (ex is IOException or FormatException or ArgumentException or InvalidOperationException)
        {
            return new ScenarioResult { Scenario = scenario, Error = ex.Message, WallSeconds = wall.Elapsed.TotalSeconds };
        }

        string? dir = options.ReportDirectory;
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        HilRig? rig = null;
        try
        {
            rig = await HilRig.StartAsync(RigOptionsFor(scenario, prepared, options, dir is null ? null : Path.Combine(dir, "audit.jsonl")), cancellationToken).ConfigureAwait(false);
            return await RunCoreAsync(rig, scenario, prepared, options, wall, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException
            or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            return new ScenarioResult { Scenario = scenario, Error = ex.GetType().Name + ": " + ex.Message, WallSeconds = wall.Elapsed.TotalSeconds };
        }
        finally
        {
            if (rig is not null)
            {
                await rig.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs <paramref name="scenario"/> on an existing rig (campaigns): reset, bring to the start state, run.</summary>
    public static async Task<ScenarioResult> RunOnRigAsync(HilRig rig, Scenario scenario, ScenarioRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rig);
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new ScenarioRunOptions();
        var wall = Stopwatch.StartNew();
        try
        {
            Prepared prepared = Prepare(scenario, options, rig.Robot);
            await rig.ResetAsync(cancellationToken).ConfigureAwait(false);
            return await RunCoreAsync(rig, scenario, prepared, options, wall, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or IOException or InvalidOperationException or MQTTnet.Exceptions.MqttCommunicationException
            or System.Net.Sockets.SocketException or FormatException or ArgumentException)
        {
            return new ScenarioResult { Scenario = scenario, Error = ex.GetType().Name + ": " + ex.Message, WallSeconds = wall.Elapsed.TotalSeconds };
        }
    }

    /// <summary>Rig options for a scenario (campaign workers build one rig from the first scenario).</summary>
    internal static HilRigOptions RigOptionsFor(Scenario scenario, Prepared prepared, ScenarioRunOptions options, string? auditPath)
    {
        ControllerSettings c = scenario.Controller;
        var controller = new ControllerOptions();
        controller.HeartbeatWatchdogMs = c.HeartbeatWatchdogMs ?? controller.HeartbeatWatchdogMs;
        controller.ServoTimeoutMs = c.ServoTimeoutMs ?? controller.ServoTimeoutMs;
        controller.TrackingLagMs = c.TrackingLagMs ?? controller.TrackingLagMs;
        controller.SpinMarginUs = options.SpinMarginUs ?? controller.SpinMarginUs;
        RadiotherapySettings? rt = scenario.Radiotherapy;
        return new HilRigOptions
        {
            Rig = new SimulatedRigOptions
            {
                Robot = prepared.Robot,
                Controller = controller,
                MasterSpinMarginUs = options.SpinMarginUs ?? 200,
                ServoIo = new ServoIoOptions { BusWatchdog20Ms = (byte)((c.BusWatchdogMs ?? 100) / 20) },
                ReplyTimeoutMs = c.ReplyTimeoutMs ?? 10,
                Retries = c.Retries ?? 2,
                Corridor = prepared.Corridor,
                Servos = scenario.Servos,
                Linac = scenario.Linac,
                Patient = scenario.Patient,
                Beam = rt is null ? null : new BeamGateOptions { PoseToleranceM = rt.PoseToleranceMm / 1000, PatientToleranceMm = rt.PatientToleranceMm },
                ExternalBroker = options.ExternalBroker,
                Users = options.Users,
                AuditPath = auditPath,
                Seed = scenario.Seed,
            },
            Unsafe = options.Unsafe,
        };
    }

    /// <summary>What a scenario resolves to before it runs: robot, corridor, beam poses.</summary>
    internal sealed record Prepared(RobotModel Robot, Corridor? Corridor, IReadOnlyList<(BeamPose Beam, Pose Pose, double Mu)> Beams);

    internal static Prepared Prepare(Scenario scenario, ScenarioRunOptions options, RobotModel? robot = null)
    {
        robot ??= RobotConfigJson.Load(scenario.RobotPath);
        Corridor? corridor = scenario.Corridor switch
        {
            null => null,
            { File: { } file } => CorridorJson.Load(file),
            { } around => SimulatedRig.CorridorAroundHome(robot, around.RadiusMm, around.BackMm, around.ForwardMm),
        };
        var beams = new List<(BeamPose, Pose, double)>();
        if (scenario.Radiotherapy is { } rt)
        {
            IReadOnlyList<BeamPose> plan = options.Beams ?? rt.Beams;
            if (plan.Count == 0)
            {
                throw new InvalidOperationException($"{scenario.Name}: the plan {rt.PlanPath} must be read by the caller (Hil cannot read DICOM): `metai hil run` does it; in code pass ScenarioRunOptions.Beams.");
            }

            var mapper = new BeamPoseMapper(rt.Rotation, rt.IsocenterRobotM, plan[0].IsocenterLps, rt.StandoffMm / 1000);
            foreach (BeamPose b in plan)
            {
                beams.Add((b, mapper.PoseOf(b), Math.Min(b.Mu, rt.MaxMuPerBeam ?? double.PositiveInfinity)));
            }
        }

        return new Prepared(robot, corridor, beams);
    }

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
                        await a.Undo().ConfigureAwait(false);
                        recorder.Fault(new FaultRecord(f.Id, f.Kind, f.Describe(), a.Start, Stopwatch.GetTimestamp()));
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
            UnsafeOptions = rig.Controller.Core.HasUnsafeTestOptions ? rig.Options.Unsafe?.ToString() : null,
            ReportDirectory = options.ReportDirectory,
        };
        if (options.ReportDirectory is { } dir)
        {
            result = Reports.ScenarioArtefacts.Write(result, dir, options.Plots);
        }

        options.Log?.Invoke($"{scenario.Name}: {(result.Passed ? "passed" : "FAILED")} ({results.Count(r => r.Passed)}/{results.Count} assertions, {injected} faults)");
        return options.KeepTrace ? result : new ScenarioResult
        {
            Scenario = result.Scenario,
            Assertions = result.Assertions,
            FaultsInjected = result.FaultsInjected,
            WallSeconds = result.WallSeconds,
            SetupAttempts = result.SetupAttempts,
            UnsafeOptions = result.UnsafeOptions,
            ReportDirectory = result.ReportDirectory,
            Plots = result.Plots,
            Artefacts = result.Artefacts,
        };
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

            await undo().ConfigureAwait(false);
            recorder.Fault(new FaultRecord(f.Id, f.Kind, f.Describe(), start, Stopwatch.GetTimestamp()));
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

    // The treatment console: for each beam, wait until the controller is in Ready with the last beam confirmed off (it
    // refuses motion until the linac acknowledges the permit withdrawal), move the arm to the beam's pose (arming that
    // beam), wait until it rests there, then ask the linac for the beam's MU and wait until they are delivered (holds and
    // resumes happen meanwhile). A refused move is retried; a pose the controller cannot reach (IK) is logged and the beam
    // skipped, never irradiated — the plan-delivered assertion then names it.
    private static async Task DeliverPlanAsync(HilRig rig, TraceRecorder recorder, Prepared prepared, double poseToleranceM, CancellationToken cancellationToken)
    {
        try
        {
            foreach ((BeamPose beam, Pose pose, double mu) in prepared.Beams)
            {
                if (!await MoveToBeamAsync(rig, recorder, prepared.Robot, beam, pose, poseToleranceM, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                recorder.Stimulus($"linac: deliver beam {beam.Number}, {mu:F1} MU");
                rig.Linac!.Deliver(beam.Number, mu);
                await SimulatedRig.WaitUntilAsync(() => rig.Linac.DeliveredMu(beam.Number) >= mu - 1e-6, TimeSpan.FromMinutes(10), $"beam {beam.Number} delivered", cancellationToken).ConfigureAwait(false);
                recorder.Stimulus($"beam {beam.Number} delivered");

                // The controller withdraws the permit once it sees the request end, and holds motion (BeamOn) until the
                // linac acknowledges that withdrawal; a move sent in between is accepted and held in the same cycle. The
                // beam ends only under a permit, so the latest permit change being a withdrawal means this one; the
                // console moves on once the controller has the linac's acknowledgement of it (and beam off) in hand.
                string number = beam.Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
                long withdrawal = 0;
                await SimulatedRig.WaitUntilAsync(() => rig.AuditTap.Latest("beamPermit") is { } p && Field(p, "beam") == number && Field(p, "permit") == "false"
                    && long.TryParse(Field(p, "seq"), System.Globalization.CultureInfo.InvariantCulture, out withdrawal),
                    TimeSpan.FromSeconds(5), $"beam {beam.Number} permit withdrawn", cancellationToken).ConfigureAwait(false);
                await SimulatedRig.WaitUntilAsync(() => rig.Controller.Inputs.Linac is { On: false } linac && linac.GateSequence >= withdrawal,
                    TimeSpan.FromSeconds(5), $"linac acknowledged the withdrawal after beam {beam.Number}", cancellationToken).ConfigureAwait(false);
            }

            recorder.Stimulus("plan delivery finished");
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            recorder.Stimulus("plan delivery stopped: " + ex.Message);
        }
    }

    // True when the arm rests at the beam's pose in Ready with that beam armed.
    private static async Task<bool> MoveToBeamAsync(HilRig rig, TraceRecorder recorder, RobotModel robot, BeamPose beam, Pose pose, double poseToleranceM,
        CancellationToken cancellationToken)
    {
        ControlCore core = rig.Controller.Core;

        // The state is published once per cycle while the armed beam changes inside it: Ready with the new beam armed can
        // be the cycle that accepted the move. Only the measured tool at the pose says the arm has arrived.
        bool Arrived() => core.ArmedBeam.Beam == beam.Number && rig.State == SafetyState.Ready
            && (robot.ForwardKinematics(core.MeasuredRad).Position - pose.Position).Length <= poseToleranceM;
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            if (rig.State == SafetyState.Paused)
            {
                // Held by an interlock (the operator resumes once it clears, as a therapist would).
                await SimulatedRig.WaitUntilAsync(() => core.LastInterlocks == Interlocks.None, TimeSpan.FromSeconds(20), "interlocks clear before resuming", cancellationToken).ConfigureAwait(false);
                recorder.Stimulus($"console: resume (held in Paused before beam {beam.Number})");
                rig.Operator.Send(new ControllerCommand { Kind = ControllerCommandKind.Resume, Operator = "hil-console" });
            }

            await SimulatedRig.WaitUntilAsync(() => rig.State == SafetyState.Ready && (core.LastInterlocks & Interlocks.BeamOn) == 0,
                TimeSpan.FromSeconds(20), "Ready with the beam confirmed off, before a beam move", cancellationToken).ConfigureAwait(false);
            long sent = Stopwatch.GetTimestamp();
            recorder.Stimulus($"move to beam {beam.Number} ({beam.Name}) pose{(attempt > 1 ? $", attempt {attempt}" : "")}");
            rig.Operator.Send(new ControllerCommand { Kind = ControllerCommandKind.MoveToPose, Beam = beam.Number, TargetPose = pose, Operator = "hil-console" });

            // The controller answers within a cycle of receiving the command: the beam armed, or a refusal in its audit log.
            bool answered = true;
            try
            {
                await SimulatedRig.WaitUntilAsync(() => core.ArmedBeam.Beam == beam.Number || Refused(rig, sent), TimeSpan.FromSeconds(5),
                    $"beam {beam.Number} move answered", cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                answered = false;
            }

            if (rig.AuditTap.Latest("moveToPoseUnreachable") is { } unreachable && unreachable.MonotonicTicks >= sent
                && Field(unreachable, "beam") == beam.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                recorder.Stimulus($"beam {beam.Number} ({beam.Name}): pose unreachable for the arm (IK position error {Field(unreachable, "positionErrorM")} m, " +
                    $"orientation {Field(unreachable, "orientationErrorRad")} rad) — skipped, not irradiated");
                return false;
            }

            if (core.ArmedBeam.Beam != beam.Number)
            {
                recorder.Stimulus($"beam {beam.Number}: move {(answered ? "refused" : "not answered")} in {rig.State} (interlocks {core.LastInterlocks}), retrying");
                continue;
            }

            try
            {
                await SimulatedRig.WaitUntilAsync(() => Arrived() || rig.State is not (SafetyState.ExecutingTrajectory or SafetyState.Ready),
                    TimeSpan.FromSeconds(20), $"beam {beam.Number} pose reached", cancellationToken).ConfigureAwait(false);
                if (Arrived())
                {
                    return true;
                }

                recorder.Stimulus($"beam {beam.Number}: move stopped in {rig.State} (interlocks {core.LastInterlocks}), retrying");
                if (rig.State is not SafetyState.Paused)
                {
                    // Fault or EStop latch: nothing a console may clear on its own.
                    break;
                }
            }
            catch (TimeoutException)
            {
                recorder.Stimulus($"beam {beam.Number}: pose not reached (state {rig.State}, interlocks {core.LastInterlocks}), retrying");
            }
        }

        recorder.Stimulus($"beam {beam.Number} ({beam.Name}): pose not reached — skipped, not irradiated");
        return false;
    }

    private static bool Refused(HilRig rig, long sentTicks) =>
        rig.AuditTap.Latest("command") is { } c && c.MonotonicTicks >= sentTicks && Field(c, "command") == nameof(ControllerCommandKind.MoveToPose) && Field(c, "accepted") == "false";

    private static string? Field(Robotics.Audit.AuditEvent e, string key) => e.Fields.FirstOrDefault(f => f.Key == key).Value;
}
