using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Mqtt;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Control;
using MeTAI.Robotics.Safety;
using MeTAI.Robotics.Transport;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Tests.Runner;

using Interlocks = MeTAI.Robotics.Safety.Interlocks;

/// <summary>
/// The reaction judge on hand-made traces: what the controller could not see is not held against it (a heartbeat silence that injected latency shortened below the watchdog), and an
/// interlock acted on in a cycle whose deadline predates its input (a descheduled loop thread) still counts.
/// </summary>
public sealed class ReactionJudgeTests
{
    private static readonly long F = Stopwatch.Frequency;
    private static readonly long T0 = 10 * F;

    private static long Ms(double ms) => (long)(ms * 1e-3 * F);

    private static Scenario Scenario() => new()
    {
        Name = "judge",
        DurationS = 1,
        RobotPath = "configs/robots/metai-arm6.json",
        Controller = new ControllerSettings { HeartbeatWatchdogMs = 100, ReplyTimeoutMs = 50 },
    };

    // A deadman release none of whose poses arrived is no longer excused: the pose watchdog holds then (see the two tests below).
    private static AssertionSpec Deadman() => new()
    {
        Id = "f1-reaction",
        Kind = AssertionKind.Reaction,
        Safety = true,
        Fault = "f1",
        States = [SafetyState.Paused, SafetyState.Fault, SafetyState.EStop],
        Interlock = Interlocks.DeadmanReleased,
        WithinMs = 250,
        WithinCycles = 2,
        AllowPreemption = true,
    };

    private static AssertionSpec Heartbeat() => Deadman() with { Interlock = Interlocks.HapticHeartbeat, WithinMs = 103 };

    private static MqttTraceMessage PoseMessage(long ticks, bool present, double delayMs = 0)
    {
        byte[] p = new byte[MqttPayloads.PoseLength];
        MqttPayloads.WritePose(p, new MasterSample(Pose.Identity, false, present, ticks, ticks));
        return new MqttTraceMessage(ticks, ProxyDirection.ToClient, "controller", "metai/arm6/master/master1/pose", 0, p.Length, p, delayMs > 0 ? "delayed" : "forwarded", delayMs);
    }

    private static MqttTraceMessage Beat(long ticks, double delayMs = 0) =>
        new(ticks, ProxyDirection.ToClient, "controller", "metai/arm6/master/master1/heartbeat", 0, MqttPayloads.HeartbeatLength, null, delayMs > 0 ? "delayed" : "forwarded", delayMs);

    private static AuditEvent Transition(long cycleTicks, long writtenTicks, SafetyState from, SafetyState to, string trigger) =>
        new("transition", cycleTicks / Ms(1), writtenTicks,
        [
            new("from", from.ToString()), new("to", to.ToString()), new("trigger", trigger), new("interlocks", "None"),
            new("cycleTicks", cycleTicks.ToString(CultureInfo.InvariantCulture)),
        ]);

    private static AuditEvent Raise(Interlocks interlock, long cycleTicks, long writtenTicks, long inputTicks = 0) =>
        new("interlockRaised", cycleTicks / Ms(1), writtenTicks,
        [
            new("interlock", interlock.ToString()), new("reaction", "Hold"), new("state", "Following"),
            new("cycleTicks", cycleTicks.ToString(CultureInfo.InvariantCulture)),
            new("inputTicks", inputTicks.ToString(CultureInfo.InvariantCulture)), new("inputCycle", "-1"),
        ]);

    private static HilTrace Trace(FaultKind kind, double lengthMs, IReadOnlyList<MqttTraceMessage> mqtt, params AuditEvent[] audit) =>
        new(TestRobots.Arm6(), T0 - F, T0 + F)
        {
            Faults = [new FaultRecord("f1", kind, kind.ToString(), T0, T0 + Ms(lengthMs))],
            Mqtt = mqtt,
            Audit = [Transition(T0 - Ms(500), T0 - Ms(500), SafetyState.Aligning, SafetyState.Following, "Aligned"), .. audit],
        };

    private static List<MqttTraceMessage> PosesUntil(long endTicks, bool present = true)
    {
        var list = new List<MqttTraceMessage>();
        for (long t = T0 - Ms(50); t < endTicks; t += Ms(1))
        {
            list.Add(PoseMessage(t, present));
        }

        return list;
    }

    [Fact]
    public void DeadmanRelease_NoPoseCarryingItArrivedAndNoHold_IsAViolation()
    {
        // Poses stopped at the fault (posesStop): the controller's pose watchdog sees that, so no exemption any more.
        HilTrace t = Trace(FaultKind.DeadmanRelease, 200, PosesUntil(T0));
        AssertionResult r = AssertionEvaluator.Evaluate(Deadman(), t, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.IsViolation, r.Detail);
    }

    [Fact]
    public void DeadmanRelease_NoPoseCarryingItArrived_HeldByThePoseWatchdog_Passes()
    {
        // The campaign's deadman reaction accepts either bit: the release itself, or the pose stream that carries it going stale.
        HilTrace t = Trace(FaultKind.DeadmanRelease, 200, PosesUntil(T0),
            Raise(Interlocks.MasterPoseStale, T0 + Ms(31), T0 + Ms(31.01), inputTicks: T0 - Ms(1)),
            Transition(T0 + Ms(31), T0 + Ms(31.02), SafetyState.Following, SafetyState.Paused, "InterlockHold"));
        AssertionResult r = AssertionEvaluator.Evaluate(Deadman() with { Interlock = Interlocks.DeadmanReleased | Interlocks.MasterPoseStale }, t, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.Passed, r.Detail);
        Assert.Contains("the last new master pose", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadmanRelease_TimedFromTheFirstPoseThatCarriedIt()
    {
        // Poses resume 300 ms into a 400 ms release; the controller holds 1 ms later: within 250 ms of what it saw.
        List<MqttTraceMessage> mqtt = PosesUntil(T0);
        mqtt.Add(PoseMessage(T0 + Ms(300), present: false));
        HilTrace t = Trace(FaultKind.DeadmanRelease, 400, mqtt,
            Raise(Interlocks.DeadmanReleased, T0 + Ms(301), T0 + Ms(301.01)),
            Transition(T0 + Ms(301), T0 + Ms(301.02), SafetyState.Following, SafetyState.Paused, "InterlockHold"));
        AssertionResult r = AssertionEvaluator.Evaluate(Deadman(), t, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.Passed, r.Detail);
        Assert.Contains("first pose carrying the release", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DeadmanRelease_ActedOnInALateCycleWhoseDeadlinePredatesIt_Counts()
    {
        // The loop thread was descheduled: the cycle that saw the release ran 5 ms late, with its old deadline.
        List<MqttTraceMessage> mqtt = PosesUntil(T0);
        mqtt.Add(PoseMessage(T0 + Ms(0.5), present: false));
        HilTrace t = Trace(FaultKind.DeadmanRelease, 200, mqtt,
            Raise(Interlocks.DeadmanReleased, T0 - Ms(4), T0 + Ms(1)),
            Transition(T0 - Ms(4), T0 + Ms(1.01), SafetyState.Following, SafetyState.Paused, "InterlockHold"));
        AssertionResult r = AssertionEvaluator.Evaluate(Deadman(), t, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.Passed, r.Detail);
    }

    [Fact]
    public void DeadmanRelease_SeenButNeverActedOn_IsAViolation()
    {
        List<MqttTraceMessage> mqtt = PosesUntil(T0);
        mqtt.AddRange(Enumerable.Range(0, 200).Select(i => PoseMessage(T0 + Ms(i), present: false)));
        HilTrace t = Trace(FaultKind.DeadmanRelease, 200, mqtt);
        AssertionResult r = AssertionEvaluator.Evaluate(Deadman(), t, Scenario());
        Assert.True(r.IsViolation, r.Detail);
    }

    [Fact]
    public void HeartbeatStop_LatencyShortenedTheSilenceBelowTheWatchdog_NotExercised()
    {
        // 10 ms heartbeats; the last before a 128 ms stop was delayed 41 ms, the first after it not: 87 ms apart.
        var beats = Enumerable.Range(1, 20).Select(i => Beat(T0 - Ms(10 * i))).ToList();
        beats.Add(Beat(T0, delayMs: 41));
        beats.AddRange(Enumerable.Range(0, 20).Select(i => Beat(T0 + Ms(128 + 10 * i))));
        HilTrace t = Trace(FaultKind.HeartbeatStop, 128, beats);
        AssertionResult r = AssertionEvaluator.Evaluate(Heartbeat(), t, Scenario());
        Assert.False(r.Exercised);
        Assert.Contains("87.0 ms apart", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void HeartbeatStop_SilenceLongerThanTheWatchdogAndNoHold_IsAViolation()
    {
        var beats = Enumerable.Range(0, 20).Select(i => Beat(T0 - Ms(10 * i))).ToList();
        beats.AddRange(Enumerable.Range(0, 20).Select(i => Beat(T0 + Ms(128 + 10 * i))));
        HilTrace t = Trace(FaultKind.HeartbeatStop, 128, beats);
        AssertionResult r = AssertionEvaluator.Evaluate(Heartbeat(), t, Scenario());
        Assert.True(r.IsViolation, r.Detail);
    }

    // The campaign's claim for welded relay contacts: ServoPower (Fault, or the EStop already latched) within 130 ms of the last feed.
    private static AssertionSpec Weld() => new()
    {
        Id = "f1-reaction",
        Kind = AssertionKind.Reaction,
        Safety = true,
        Fault = "f1",
        States = [SafetyState.Fault, SafetyState.EStop],
        Interlock = Interlocks.ServoPower,
        WithinMs = 130,
        WithinCycles = 2,
    };

    [Fact]
    public void RelayStuckClosed_ArmNeverStoppedAfterTheWeld_NotExercised()
    {
        // Exemption "the relay was fed throughout": while fed, welded contacts read exactly like sound ones (coil on, power
        // on); the operator's disable was lost with the connection and nothing else stopped the arm before the run ended.
        HilTrace t = Trace(FaultKind.RelayStuckClosed, 2000, PosesUntil(T0 + F));
        AssertionResult r = AssertionEvaluator.Evaluate(Weld(), t, Scenario());
        Assert.False(r.Exercised);
        Assert.False(r.IsViolation);
        Assert.Contains("never stopped", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RelayStuckClosed_StoppedTooLateInTheRunForTheTripToShow_NotExercised()
    {
        // The arm stopped 60 ms before the end: the board trips up to T_relay after the last feed, read back 10 ms later.
        HilTrace t = Trace(FaultKind.RelayStuckClosed, 2000, PosesUntil(T0 + F),
            Transition(T0 + F - Ms(60), T0 + F - Ms(60), SafetyState.Following, SafetyState.Disabled, "Disable"));
        AssertionResult r = AssertionEvaluator.Evaluate(Weld(), t, Scenario());
        Assert.False(r.Exercised);
        Assert.Contains("only 60 ms before the end", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RelayStuckClosed_StoppedButTheWeldNeverFound_IsAViolation()
    {
        HilTrace t = Trace(FaultKind.RelayStuckClosed, 2000, PosesUntil(T0 + F),
            Transition(T0 + Ms(50), T0 + Ms(50), SafetyState.Following, SafetyState.Disabled, "Disable"));
        AssertionResult r = AssertionEvaluator.Evaluate(Weld(), t, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.IsViolation, r.Detail);
    }

    [Fact]
    public void RelayStuckClosed_BusCutInTheWindow_BoundRunsOnByTheCut_SameDelayWithTheWireUpIsAViolation()
    {
        // Campaign seed 72001774: disabled 50 ms after the weld (the feed stops), the servo wire cut for 92 ms meanwhile, so
        // the relay could not be read; ServoPower 152 ms after the last feed, 9 ms after the wire came back.
        AuditEvent[] audit =
        [
            Transition(T0 + Ms(50), T0 + Ms(50), SafetyState.Following, SafetyState.Disabled, "Disable"),
            Raise(Interlocks.ServoPower, T0 + Ms(202), T0 + Ms(202.01), inputTicks: T0 + Ms(50)),
            Transition(T0 + Ms(202), T0 + Ms(202.01), SafetyState.Disabled, SafetyState.Fault, "InterlockFault"),
        ];
        HilTrace wireUp = Trace(FaultKind.RelayStuckClosed, 2000, PosesUntil(T0 + F), audit);
        var cut = new HilTrace(wireUp.Robot, wireUp.StartTicks, wireUp.EndTicks)
        {
            Faults = [.. wireUp.Faults, new FaultRecord("f2", FaultKind.BusSilent, "BusSilent", T0 + Ms(101), T0 + Ms(193))],
            Mqtt = wireUp.Mqtt,
            Audit = wireUp.Audit,
        };
        AssertionResult r = AssertionEvaluator.Evaluate(Weld(), cut, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.Passed, r.Detail);
        Assert.Contains("servo wire was cut for 92.0 ms", r.Detail, StringComparison.Ordinal);

        AssertionResult late = AssertionEvaluator.Evaluate(Weld(), wireUp, Scenario());
        Assert.True(late.IsViolation, late.Detail);
    }

    [Fact]
    public void RelayStuckClosed_FoundWhileAnEStopForAnotherCauseHeld_Passes()
    {
        // The stop was an EStop (the e-stop device fell silent with the connection): the feed stopped, the board tripped,
        // power read on, ServoPower raised 60 ms after the last feed with the EStop already latched.
        HilTrace t = Trace(FaultKind.RelayStuckClosed, 2000, PosesUntil(T0 + F),
            Transition(T0 + Ms(250), T0 + Ms(250), SafetyState.Paused, SafetyState.EStop, "EStopPressed"),
            Raise(Interlocks.ServoPower, T0 + Ms(310), T0 + Ms(310.01), inputTicks: T0 + Ms(250)));
        AssertionResult r = AssertionEvaluator.Evaluate(Weld(), t, Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.Passed, r.Detail);
    }

    [Fact]
    public void Reaction_ControllerAlreadyFaultedWhenTheFaultBegan_NotExercised()
    {
        // Exemption "already stopped": a Fault latched before the fault leaves nothing for the fault to change.
        HilTrace t = Trace(FaultKind.DeadmanRelease, 200, PosesUntil(T0 + Ms(200), present: false),
            Transition(T0 - Ms(100), T0 - Ms(100), SafetyState.Following, SafetyState.Fault, "InterlockFault"));
        AssertionResult r = AssertionEvaluator.Evaluate(Deadman(), t, Scenario());
        Assert.False(r.Exercised);
        Assert.False(r.IsViolation);
        Assert.Contains("already Fault", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TorqueOff_EStopMessageNeverReachedTheController_NotExercised()
    {
        // Exemption "e-stop lost with the broker": the MQTT trace has traffic, but no e-stop message was forwarded to the
        // controller (broker down or its connection cut). The button repeats a press every second, so a real press still arrives.
        HilTrace t = Trace(FaultKind.EStopPress, 200, PosesUntil(T0 + Ms(200)));
        var a = new AssertionSpec { Id = "f1-torque-off", Kind = AssertionKind.TorqueOff, Safety = true, Fault = "f1", WithinCycles = 2, BusWithinMs = 50 };
        AssertionResult r = AssertionEvaluator.Evaluate(a, t, Scenario());
        Assert.False(r.Exercised);
        Assert.Contains("never reached the controller", r.Detail, StringComparison.Ordinal);
    }

    private static HilTrace SamplesOnly(SafetyState first, SafetyState after, double switchMs)
    {
        var samples = new List<TraceSample>();
        double[] zero = new double[6];
        for (long k = 0; k <= 1000; k++)
        {
            SafetyState state = k < switchMs ? first : after;
            samples.Add(new TraceSample(T0 - F + Ms(k), k, state, Interlocks.None, zero, zero, zero, Vec3.Zero, Vec3.Zero, Vec3.Zero, false, 0, 0));
        }

        return new HilTrace(TestRobots.Arm6(), T0 - F, T0) { Samples = samples };
    }

    private static readonly AssertionSpec Limits = new() { Id = "joint-limits", Kind = AssertionKind.JointLimits, Safety = true };

    [Fact]
    public void JointLimits_NoGoalFrameBecauseTheControllerFaultedAsTheRunBegan_NotExercised()
    {
        // Following for 5 ms, then a Fault (a spurious ServoBus trip on a loaded machine): torque off, no goal to check.
        AssertionResult r = AssertionEvaluator.Evaluate(Limits, SamplesOnly(SafetyState.Following, SafetyState.Fault, 5), Scenario());
        Assert.False(r.Exercised);
        Assert.Contains("no goal frame on the bus", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void JointLimits_NoGoalFrameWhileTorqueWasOnForLong_IsAViolation()
    {
        // Following for 200 ms with no goal frame: a controller that stopped writing goals, not a stop.
        AssertionResult r = AssertionEvaluator.Evaluate(Limits, SamplesOnly(SafetyState.Following, SafetyState.Fault, 200), Scenario());
        Assert.True(r.Exercised);
        Assert.True(r.IsViolation);
        Assert.Contains("no goal frames on the bus", r.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void JointLimits_NoGoalFrame_TorqueOnOnlyWhileTheWireWasCut_NotExercised()
    {
        // A bus cut from before the run's samples began: the controller wrote goals for 60 ms, but no servo (and no twin)
        // could hear them, then faulted (ServoBus). Without the cut the same 60 ms would be a violation.
        HilTrace cut = SamplesOnly(SafetyState.Following, SafetyState.Fault, 60);
        cut = new HilTrace(cut.Robot, cut.StartTicks, cut.EndTicks)
        {
            Samples = cut.Samples,
            Faults = [new FaultRecord("f1", FaultKind.BusSilent, "bus silent", T0 - F - Ms(5), T0 - F + Ms(300))],
        };
        AssertionResult r = AssertionEvaluator.Evaluate(Limits, cut, Scenario());
        Assert.False(r.Exercised, r.Detail);
        Assert.Contains("torque on for only 0 ms of the run with the wire up (60 ms in all", r.Detail, StringComparison.Ordinal);

        AssertionResult open = AssertionEvaluator.Evaluate(Limits, SamplesOnly(SafetyState.Following, SafetyState.Fault, 60), Scenario());
        Assert.True(open.IsViolation, open.Detail);
    }

    // Powering (campaign seed 44126894): 300 ms in Powering (the relay test on a reused rig), then a Fault. Power-up
    // writes no goal (torque comes on at its end), so no goal frame was due; the same 300 ms Following is a violation.
    // Following (CI campaign seed 1150481, 2026-12-08): the IO thread held up from the run's start, ServoBus Fault 40.5 ms
    // into the recording: the servo-bus watchdog (40 ms servo timeout + the 5 ms reaction margin) did its work; past that
    // bound with torque on and no goal, a controller that stopped writing unnoticed.
    [Theory]
    [InlineData(SafetyState.Powering, 300, 0, 300)]
    [InlineData(SafetyState.Following, 41, 41, 47)]
    public void JointLimits_NoGoalFrame_TorqueOnWithinTheBound_NotExercised_FollowingLongerIsAViolation(SafetyState first, double ms, int torqueOnMs, double violationMs)
    {
        AssertionResult r = AssertionEvaluator.Evaluate(Limits, SamplesOnly(first, SafetyState.Fault, ms), Scenario());
        Assert.False(r.Exercised, r.Detail);
        Assert.Contains($"torque on for only {torqueOnMs} ms", r.Detail, StringComparison.Ordinal);
        Assert.True(AssertionEvaluator.Evaluate(Limits, SamplesOnly(SafetyState.Following, SafetyState.Fault, violationMs), Scenario()).IsViolation);
    }

    // Fault 45 ms into a wire fault of 400 ms; every servo's torque off 20 ms after the wire is back.
    private static HilTrace TorqueOffAfterAWireFault(FaultKind kind)
    {
        var samples = new List<TraceSample>();
        double[] zero = new double[6];
        for (long k = -500; k <= 900; k++)
        {
            SafetyState state = k < 45 ? SafetyState.Following : SafetyState.Fault;
            samples.Add(new TraceSample(T0 + Ms(k), k, state, Interlocks.None, zero, zero, zero, Vec3.Zero, Vec3.Zero, Vec3.Zero, false, 0, k < 420 ? 0x3F : 0));
        }

        return new HilTrace(TestRobots.Arm6(), T0 - F, T0 + F)
        {
            Faults = [new FaultRecord("f1", kind, kind.ToString(), T0, T0 + Ms(400))],
            Samples = samples,
            Audit =
            [
                Transition(T0 - Ms(500), T0 - Ms(500), SafetyState.Aligning, SafetyState.Following, "Aligned"),
                Transition(T0 + Ms(45), T0 + Ms(45), SafetyState.Following, SafetyState.Fault, "ServoBus"),
            ],
        };
    }

    private static readonly AssertionSpec Latched = new() { Id = "latched-torque-off", Kind = AssertionKind.LatchedTorqueOff, Safety = true, BusWithinMs = 50 };

    [Theory]
    [InlineData(FaultKind.BusCollision)]
    [InlineData(FaultKind.BaudMismatch)]
    public void LatchedTorqueOff_WireHeldByARogueTalkerOrAServoAtAnotherBaudRate_TimedFromTheWireComingBack(FaultKind kind)
    {
        // Relaxation "wire held": the torque-off broadcasts collide with the rogue talker (or reach no servo at the wrong
        // baud rate) until the fault ends, as on a cut bus; the servos' own bus watchdog stops them meanwhile.
        AssertionResult r = AssertionEvaluator.Evaluate(Latched, TorqueOffAfterAWireFault(kind), Scenario());
        Assert.True(r.Passed, r.Detail);
    }

    [Fact]
    public void LatchedTorqueOff_SameDelayWithTheWireFree_IsAViolation()
    {
        // The same trace with a fault that leaves the wire free: torque off 375 ms after the Fault breaks the 50 ms bound.
        AssertionResult r = AssertionEvaluator.Evaluate(Latched, TorqueOffAfterAWireFault(FaultKind.HeartbeatStop), Scenario());
        Assert.True(r.IsViolation, r.Detail);
        Assert.Contains("longest gap between trace samples in that window 1.0 ms", r.Detail, StringComparison.Ordinal);
    }

    // Fault at T0 with the wire free; the servo twin records every servo's torque-off write 4 ms later, while the trace
    // recorder (an ordinary thread) took no sample between 2 ms and 300 ms after the Fault.
    private static HilTrace TorqueOffWrittenAtOnce_SamplerStarved(bool busRecord)
    {
        var samples = new List<TraceSample>();
        double[] zero = new double[6];
        for (long k = -500; k <= 900; k++)
        {
            if (k is > 2 and < 300)
            {
                continue;
            }

            samples.Add(new TraceSample(T0 + Ms(k), k, k < 0 ? SafetyState.Following : SafetyState.Fault, Interlocks.None, zero, zero, zero, Vec3.Zero, Vec3.Zero, Vec3.Zero,
                false, 0, k < 4 ? 0x3F : 0));
        }

        return new HilTrace(TestRobots.Arm6(), T0 - F, T0 + F)
        {
            Samples = samples,
            Bus = busRecord ? [.. Enumerable.Range(1, 6).Select(id => new BusEvent(T0 + Ms(4), BusEventKind.TorqueOff, (byte)id, null, T0))] : [],
            Audit =
            [
                Transition(T0 - Ms(500), T0 - Ms(500), SafetyState.Aligning, SafetyState.Following, "Aligned"),
                Transition(T0, T0, SafetyState.Following, SafetyState.Fault, "ServoBus"),
            ],
        };
    }

    [Fact]
    public void LatchedTorqueOff_TimedByTheServoTwinsRecord_NotByAStarvedTraceSampler()
    {
        // The twin's real-time thread stamped each torque-off write 4 ms after the Fault: the reaction is 4 ms, whatever
        // the sampler saw (its first sample showing torque off is 300 ms late).
        AssertionResult r = AssertionEvaluator.Evaluate(Latched, TorqueOffWrittenAtOnce_SamplerStarved(busRecord: true), Scenario());
        Assert.True(r.Passed, r.Detail);
        Assert.Contains("all torque off within 4.0 ms", r.Detail, StringComparison.Ordinal);

        // Without the twin's record (torque that dropped by itself) only the samples can tell: 300 ms, and the verdict
        // names the 298 ms gap between samples.
        AssertionResult sampled = AssertionEvaluator.Evaluate(Latched, TorqueOffWrittenAtOnce_SamplerStarved(busRecord: false), Scenario());
        Assert.True(sampled.IsViolation, sampled.Detail);
        Assert.Contains("longest gap between trace samples in that window 298.0 ms", sampled.Detail, StringComparison.Ordinal);
    }
}
