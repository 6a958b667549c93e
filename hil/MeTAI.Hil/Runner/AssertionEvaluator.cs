using System.Diagnostics;
using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation.Devices;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Judges one assertion over a recorded <see cref="HilTrace"/>. Times are measured on the controller's own clock where the
/// claim is about the controller (loop deadlines of its cycles, its timestamps of the inputs behind an interlock), and in
/// control cycles where the claim is in cycles; the machine's speed is never asserted. When the loop had to re-base its
/// schedule (a stall of the whole machine) inside a measured window, a millisecond bound is relaxed by one second and the
/// verdict says so.
/// </summary>
public static class AssertionEvaluator
{
    private const double StallAllowanceMs = 1000;

    /// <summary>Evaluates <paramref name="a"/>.</summary>
    public static AssertionResult Evaluate(AssertionSpec a, HilTrace trace, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(scenario);
        string claim = a.Description.Length > 0 ? a.Description : Claim(a);
        if (NotExercised(a, trace, scenario.Controller.HeartbeatWatchdogMs) is { } why)
        {
            return new AssertionResult(a.Id, a.Kind, a.Safety, false, claim, "not exercised: " + why, Exercised: false);
        }

        (bool ok, string detail) = a.Kind switch
        {
            AssertionKind.Reaction => Reaction(a, trace),
            AssertionKind.TorqueOff => TorqueOff(a, trace, scenario.Controller.ReplyTimeoutMs ?? 10),
            AssertionKind.JointLimits => JointLimits(a, trace),
            AssertionKind.HoldStill => HoldStill(a, trace),
            AssertionKind.LatchedTorqueOff => LatchedTorqueOff(a, trace),
            AssertionKind.Corridor => Corridor(a, trace),
            AssertionKind.GoalSteps => GoalSteps(a, trace),
            AssertionKind.BeamOnlyWhen => BeamOnlyWhen(a, trace),
            AssertionKind.BeamHold => BeamHold(a, trace),
            AssertionKind.BeamsDelivered => BeamsDelivered(a, trace),
            AssertionKind.NeverState => NeverState(a, trace),
            AssertionKind.StateAt => StateIs(a, trace, trace.TicksAt(a.AtS), F($"at {a.AtS:0.###} s")),
            AssertionKind.FinalState => StateIs(a, trace, trace.EndTicks, "at the end"),
            AssertionKind.InterlockRaised => InterlockRaised(a, trace),
            AssertionKind.ForceFeedback => ForceFeedback(a, trace),
            AssertionKind.Latency => Latency(a, trace),
            AssertionKind.CrcErrors => (trace.CrcErrors >= a.Min, $"{trace.CrcErrors} bad serial frames counted and dropped by the controller"),
            AssertionKind.AuditIntact => AuditIntact(trace),
            _ => (false, "unknown assertion kind"),
        };
        return new AssertionResult(a.Id, a.Kind, a.Safety, ok, claim, detail);
    }

    // A reaction cannot be judged when the controller had already stopped (for another reason, e.g. a spurious trip on a
    // loaded machine) when the fault began, or was in a state where the reaction is no change.
    private static string? NotExercised(AssertionSpec a, HilTrace t, double? heartbeatWatchdogMs)
    {
        if (a.Kind is not (AssertionKind.Reaction or AssertionKind.TorqueOff) || FaultOf(t, a.Fault) is not { } f)
        {
            return null;
        }

        if (a.Kind == AssertionKind.TorqueOff && t.Mqtt.Count > 0 && !EStopDelivered(t, f))
        {
            // A broker outage or a cut connection (another fault) kept the message from the controller: the claim
            // (torque off within 2 cycles of the message's arrival) was not put to the test. A pressed button is
            // published again every second, so a real press still arrives once the link is back.
            return $"the e-stop message of fault '{a.Fault}' never reached the controller (broker or connection down)";
        }

        if (a.Kind == AssertionKind.Reaction && a.Interlock == Interlocks.DeadmanReleased && t.Mqtt.Count > 0 && DeadmanArrival(t, f) is null)
        {
            // The release travels in the master's pose messages: with the poses stopped, dropped or the master's
            // connection down for the whole release, the controller could not know (it holds the last pose meanwhile).
            return $"no pose carrying the deadman release of fault '{a.Fault}' reached the controller (poses stopped, lost or the master disconnected)";
        }

        if (a.Kind == AssertionKind.Reaction && a.Interlock == Interlocks.HapticHeartbeat && t.Mqtt.Count > 0 && heartbeatWatchdogMs is { } watchdog
            && LongestHeartbeatGapMs(t, f) is { } gap && gap <= watchdog + HeartbeatGapMarginMs)
        {
            // Injected latency that changed during the stop (the last heartbeat before it delayed, the first after it
            // not) shortens the silence the controller sees below its watchdog: nothing to react to.
            return F($"the heartbeats of fault '{a.Fault}' reached the controller at most {gap:F1} ms apart (watchdog {watchdog:0.###} ms): injected latency shortened the silence");
        }

        // The state when the fault began, by when the transitions were made (written), not by their cycles' deadlines: a
        // cycle that ran late after a stall of the loop thread carries a deadline from before the fault.
        SafetyState at = t.Transitions.LastOrDefault(x => x.WrittenTicks < f.StartTicks)?.To ?? SafetyState.Disabled;
        bool moving = SafetySupervisor.IsMotionState(at) || at is SafetyState.Aligning or SafetyState.Clutched;
        bool holdOnly = a.Kind == AssertionKind.Reaction && a.States.All(s => s == SafetyState.Paused);
        if (a.Kind == AssertionKind.TorqueOff ? at == SafetyState.EStop
            : at is SafetyState.Fault or SafetyState.EStop or SafetyState.Disabled || a.States.Contains(at) || (holdOnly && !moving))
        {
            return $"the controller was already {at} when fault '{a.Fault}' began";
        }

        return null;
    }

    /// <summary>The claim of an assertion in words.</summary>
    public static string Claim(AssertionSpec a)
    {
        ArgumentNullException.ThrowIfNull(a);
        string states = string.Join(" or ", a.States);
        return a.Kind switch
        {
            AssertionKind.Reaction => $"after fault '{a.Fault}' the controller is {states}" + (a.Interlock is null ? "" : $" ({a.Interlock})")
                + (a.WithinMs is { } ms ? F($" within {ms:0.###} ms of the input behind it (controller clock)") : "")
                + (a.WithinCycles is { } c ? $" and within {c} cycles of detection" : ""),
            AssertionKind.TorqueOff => $"after e-stop '{a.Fault}', torque off is written within {a.WithinCycles ?? 2} cycles of the message's arrival"
                + (a.BusWithinMs is { } b ? F($" and every servo's torque is off on the bus within {b:0.###} ms (after a bus cut: of the bus coming back, plus one reply timeout)") : ""),
            AssertionKind.JointLimits => F($"no goal position on the bus outside the joint limits (+{a.MarginRad:0.###} rad), at any time"),
            AssertionKind.HoldStill => $"while {states}, the goals on the bus do not change",
            AssertionKind.LatchedTorqueOff => "every Fault/EStop turns torque off on every servo" + (a.BusWithinMs is { } lb ? F($" within {lb:0.###} ms") : "") + ", and it stays off until the next power-up",
            AssertionKind.Corridor => F($"the tool stays within {a.ToleranceMm:0.###} mm of the corridor wall") + (a.ExceptDuringFaults ? " except during injected faults" : ""),
            AssertionKind.GoalSteps => "no goal on the bus moves a joint faster than its velocity limit (bad data never acted on)",
            AssertionKind.BeamOnlyWhen => F($"the beam is on only in Ready, at the planned pose (≤ {a.ToleranceMm:0.###} mm, ≤ {a.ToleranceDeg:0.###}°), with the arm stationary and the patient within {a.PatientToleranceMm:0.###} mm (reaction allowance {a.GraceMs:0} ms)"),
            AssertionKind.BeamHold => F($"after '{a.Fault}' the beam is held within {a.WithinMs ?? a.GraceMs:0.###} ms") + (a.Resumes ? " and resumes afterwards" : ""),
            AssertionKind.BeamsDelivered => F($"every planned beam delivers its MU (± {a.MuTolerance:0.###})"),
            AssertionKind.NeverState => $"the controller never enters {states}",
            AssertionKind.StateAt => F($"at {a.AtS:0.###} s the controller is {states}"),
            AssertionKind.FinalState => $"at the end the controller is {states}",
            AssertionKind.InterlockRaised => $"{a.Interlock} is raised",
            AssertionKind.ForceFeedback => F($"the master receives a restoring force ≥ {a.MinN:0.###} N"),
            AssertionKind.Latency => F($"haptic → servo latency p99 ≤ {a.P99Ms:0.###} ms"),
            AssertionKind.CrcErrors => $"the controller counts and drops bad serial frames (≥ {a.Min})",
            AssertionKind.AuditIntact => "the audit log's hash chain verifies",
            _ => a.Kind.ToString(),
        };
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static FaultRecord? FaultOf(HilTrace t, string? id) => t.Faults.Where(f => f.Id == id).OrderBy(f => f.StartTicks).FirstOrDefault();

    private static long Slack(double ms) => (long)(ms * 1e-3 * Stopwatch.Frequency);

    private static (bool, string) Reaction(AssertionSpec a, HilTrace t)
    {
        if (FaultOf(t, a.Fault) is not { } f)
        {
            return (false, $"fault '{a.Fault}' was never injected (scheduled after the end?)");
        }

        InterlockRaise? raise = t.Raises.FirstOrDefault(r => r.IsAfter(f.StartTicks) && (a.Interlock is null || r.Interlock == a.Interlock));
        StateTransition? early = t.Transitions.FirstOrDefault(x => x.IsAfter(f.StartTicks) && x.CycleTicks <= t.EndTicks && a.States.Contains(x.To));
        if (raise is not null && early is not null && early.CycleTicks < raise.CycleTicks)
        {
            // Another cause stopped the arm after the fault began and before this interlock was detected: the reaction
            // the claim asks for was already in force.
            return (true, F($"already {early.To} at {t.Seconds(early.CycleTicks):F3} s (trigger {early.Trigger}, interlocks {early.Interlocks}) when {raise.Interlock} was detected in cycle {raise.Cycle}"));
        }

        long after = raise?.CycleTicks ?? f.StartTicks;
        StateTransition? tr = t.Transitions.FirstOrDefault(x => (raise is null ? x.IsAfter(after) : x.CycleTicks >= after) && x.CycleTicks <= t.EndTicks && a.States.Contains(x.To));
        if (tr is null)
        {
            return (false, $"no transition to {string.Join("/", a.States)} after the fault (state at the end: {t.StateAt(t.EndTicks)}; "
                + (raise is null ? (a.Interlock is null ? "no interlock raised" : $"{a.Interlock} never raised") : $"{raise.Interlock} raised in cycle {raise.Cycle}") + ")");
        }

        if (a.Interlock is { } il && raise is null)
        {
            double preMs = HilTrace.Ms(f.StartTicks, tr.CycleTicks);
            if (a.AllowPreemption && tr.To is SafetyState.Fault or SafetyState.EStop
                && preMs <= (a.WithinMs ?? double.PositiveInfinity) + (t.ResyncsBetween(f.StartTicks, tr.CycleTicks) > 0 ? StallAllowanceMs : 0))
            {
                return (true, F($"pre-empted: the controller latched {tr.To} {preMs:F1} ms after the fault (trigger {tr.Trigger}, interlocks {tr.Interlocks}) before {il} could be raised"));
            }

            return (false, $"{tr.To} reached (trigger {tr.Trigger}, interlocks {tr.Interlocks}) but {il} was never raised");
        }

        long reference = raise is { InputTicks: > 0 } ? raise.InputTicks
            : a.Interlock == Interlocks.DeadmanReleased && DeadmanArrival(t, f) is { } arrival ? Math.Max(f.StartTicks, arrival) : f.StartTicks;
        string refName = raise is { InputTicks: > 0 } ? raise.Interlock switch
        {
            Interlocks.HapticHeartbeat => "the last heartbeat",
            Interlocks.EStop => "the e-stop message",
            Interlocks.ServoBus => "the last complete servo reading",
            _ => "the input",
        } : reference != f.StartTicks ? "the first pose carrying the release reached the controller" : "the injection";
        double ms = HilTrace.Ms(reference, tr.CycleTicks);
        long cycles = raise is null ? 0 : tr.Cycle - raise.Cycle;
        long resyncs = t.ResyncsBetween(reference, tr.CycleTicks);
        double bound = (a.WithinMs ?? double.PositiveInfinity) + (resyncs > 0 ? StallAllowanceMs : 0);
        bool ok = ms <= bound && (a.WithinCycles is null || cycles <= a.WithinCycles);
        string detail = F($"{tr.To} at cycle {tr.Cycle}, {ms:F1} ms after {refName} (loop deadline)")
            + (raise is null ? "" : F($", {cycles} cycle(s) after {raise.Interlock} was detected"))
            + (resyncs > 0 ? $"; the loop re-based its schedule {resyncs}× in this window (machine stall): bound relaxed by 1 s" : "");
        return (ok, detail);
    }

    private static (bool, string) TorqueOff(AssertionSpec a, HilTrace t, int replyTimeoutMs)
    {
        if (FaultOf(t, a.Fault) is not { } f)
        {
            return (false, $"fault '{a.Fault}' was never injected");
        }

        InterlockRaise? raise = t.Raises.FirstOrDefault(r => r.Interlock == Interlocks.EStop && r.IsAfter(f.StartTicks));
        if (raise is null)
        {
            return (false, "the controller never raised EStop after the press"
                + (t.Mqtt.Count > 0 && !EStopDelivered(t, f) ? " — and the e-stop message never reached it" : ""));
        }

        StateTransition? tr = t.Transitions.FirstOrDefault(x => x.To == SafetyState.EStop && x.CycleTicks >= raise.CycleTicks);
        if (tr is null)
        {
            return (false, "EStop raised but the controller never entered EStop (no torque-off written)");
        }

        long cycles = tr.Cycle - raise.InputCycle;
        int n = t.Robot.JointCount;
        var offAt = new long[n];
        foreach (BusEvent e in t.Bus)
        {
            if (e.Kind == BusEventKind.TorqueOff && e.Ticks >= raise.InputTicks)
            {
                int j = IndexOf(t.Robot, e.ServoId);
                if (j >= 0 && offAt[j] == 0)
                {
                    offAt[j] = e.Ticks;
                }
            }
        }

        // A servo whose torque was already off (e.g. by its own hardware error) needs no write; one whose torque drops by
        // itself after the press (an overload latched at the same moment) shows no write either: its torque-off time is
        // the first sample that shows it off.
        TraceSample? atPress = t.Samples.LastOrDefault(s => s.Ticks <= raise.InputTicks);
        for (int j = 0; j < n; j++)
        {
            if (offAt[j] == 0 && t.Samples.FirstOrDefault(s => s.Ticks >= raise.InputTicks && (s.TorqueMask & (1 << j)) == 0) is { } selfOff)
            {
                offAt[j] = selfOff.Ticks;
            }
        }

        var missing = Enumerable.Range(0, n).Where(j => offAt[j] == 0 && (atPress is null || (atPress.TorqueMask & (1 << j)) != 0)).ToList();
        // A silent (cut) bus cannot carry the torque-off (as in latched-torque-off): the bus bound then starts when the
        // bus is back, and a bus cut to the end of the run leaves the bus part unexercised (the write is still judged).
        long busFrom = BusBackAfter(t, raise.InputTicks, a.BusWithinMs ?? 0);
        bool cutToEnd = busFrom == long.MaxValue || (t.Samples.Count > 0 && busFrom >= t.Samples[^1].Ticks);
        bool cutAtArrival = busFrom != raise.InputTicks;
        double busMs = cutToEnd ? 0 : offAt.Where(x => x > 0).Select(x => HilTrace.Ms(busFrom, Math.Max(x, busFrom))).DefaultIfEmpty(0).Max();
        long resyncs = cutToEnd ? 0 : t.ResyncsBetween(busFrom, busFrom + Slack(busMs));
        // When the bus comes back, the IO thread may be waiting out the reply timeout of a transaction it sent into the
        // silence; the torque-off repeat follows that transaction. So a cut-at-arrival bound adds one reply timeout.
        double? bound = a.BusWithinMs is { } b ? b + (cutAtArrival ? replyTimeoutMs : 0) + (resyncs > 0 ? StallAllowanceMs : 0) : null;
        bool ok = cycles <= (a.WithinCycles ?? 2) && (cutToEnd || (missing.Count == 0 && (bound is null || busMs <= bound)));
        string bus = cutToEnd
            ? "the bus was cut from before the e-stop to the end of the run (the servos' own watchdog stops them)"
            : missing.Count > 0
                ? $"torque never went off on joint(s) {string.Join(", ", missing.Select(j => j + 1))}"
                : F($"every servo's torque off on the bus {busMs:F2} ms after {(cutAtArrival ? "the bus came back (it was cut when the e-stop arrived)" : "arrival")}")
                    + (bound is { } bb ? F($" (bound {bb:0.###} ms{(cutAtArrival ? F($", incl. one {replyTimeoutMs} ms reply timeout in flight") : "")})") : "");
        return (ok, F($"e-stop arrived in cycle {raise.InputCycle}; torque off written in cycle {tr.Cycle} ({cycles} cycle(s)); ") + bus
            + (resyncs > 0 ? "; loop stall in the window: bus bound relaxed by 1 s" : ""));
    }

    // Did the proxy forward an e-stop message that reads as pressed to the controller after the fault began?
    private static bool EStopDelivered(HilTrace t, FaultRecord f) => t.Mqtt.Any(m => m.Ticks >= f.StartTicks && ToController(m, "/estop")
        && (m.Payload is null || Robotics.Transport.MqttPayloads.ReadEStopPressed(m.Payload)));

    // Margin between the proxy's clock of a heartbeat's forwarding and the controller's of its arrival (scheduling of
    // delayed packets, the client's receive path).
    private const double HeartbeatGapMarginMs = 5;

    /// <summary>
    /// When the bus can carry a write made at <paramref name="ticks"/>: at once, or after the end of a bus cut under way
    /// then or beginning within <paramref name="windowMs"/> after it (a write just before a cut may be lost in it, and the
    /// claim's bound is only fair on a bus that is up for that long), chained over cuts that follow one another.
    /// <see cref="long.MaxValue"/>: cut to the end.
    /// </summary>
    private static long BusBackAfter(HilTrace t, long ticks, double windowMs)
    {
        long from = ticks;
        for (bool moved = true; moved && from != long.MaxValue;)
        {
            moved = false;
            foreach (FaultRecord x in t.Faults)
            {
                long end = x.EndTicks == 0 ? long.MaxValue : x.EndTicks;
                if (x.Kind == FaultKind.BusSilent && x.StartTicks <= from + Slack(windowMs) && end > from)
                {
                    from = end;
                    moved = true;
                }
            }
        }

        return from;
    }

    // Arrival at the controller (the proxy's forwarding time plus injected delay) of the first pose from a master that
    // carries the deadman release of fault f; null if none did.
    private static long? DeadmanArrival(HilTrace t, FaultRecord f)
    {
        long? first = null;
        foreach (Mqtt.MqttTraceMessage m in t.Mqtt)
        {
            if (m.Ticks >= f.StartTicks && (f.EndTicks == 0 || m.Ticks <= f.EndTicks) && ToController(m, "/pose") && m.Payload is { } p
                && Robotics.Transport.MqttPayloads.TryReadPose(p, out Robotics.Control.MasterSample sample) && !sample.OperatorPresent)
            {
                long arrival = m.Ticks + Slack(m.DelayMs);
                first = first is { } a ? Math.Min(a, arrival) : arrival;
            }
        }

        return first;
    }

    // The longest silence between heartbeats arriving at the controller that overlaps fault f (to the end of the
    // recording if none came after it); null without any heartbeat before it.
    private static double? LongestHeartbeatGapMs(HilTrace t, FaultRecord f)
    {
        var arrivals = t.Mqtt.Where(m => ToController(m, "/heartbeat") && m.Topic.Contains("/master/", StringComparison.Ordinal))
            .Select(m => m.Ticks + Slack(m.DelayMs)).Order().ToList();
        long end = f.EndTicks == 0 ? t.EndTicks : f.EndTicks;
        int before = arrivals.FindLastIndex(x => x <= f.StartTicks);
        if (before < 0)
        {
            return null;
        }

        double longest = 0;
        for (int i = before; i < arrivals.Count && arrivals[i] <= end; i++)
        {
            long next = i + 1 < arrivals.Count ? arrivals[i + 1] : Math.Max(t.EndTicks, end);
            longest = Math.Max(longest, HilTrace.Ms(arrivals[i], next));
        }

        return longest;
    }

    private static bool ToController(Mqtt.MqttTraceMessage m, string topicSuffix) => m.Direction == Mqtt.ProxyDirection.ToClient && m.User == "controller"
        && m.Action != "dropped" && m.Topic.EndsWith(topicSuffix, StringComparison.Ordinal);

    private static int IndexOf(RobotModel robot, byte id)
    {
        for (int i = 0; i < robot.JointCount; i++)
        {
            if (robot.Joints[i].ServoId == id)
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<BusEvent> Goals(HilTrace t) => t.Bus.Where(e => e.Kind == BusEventKind.GoalWrite && e.Ticks >= t.StartTicks && e.Ticks <= t.EndTicks);

    private static (bool, string) JointLimits(AssertionSpec a, HilTrace t)
    {
        RobotModel r = t.Robot;
        double count = 1 / r.Servo.CountsPerRad;
        double worst = double.NegativeInfinity;
        string where = "";
        int frames = 0;
        foreach (BusEvent e in Goals(t))
        {
            frames++;
            for (int i = 0; i < r.JointCount; i++)
            {
                JointSpec j = r.Joints[i];
                double q = r.Servo.ToRad(e.GoalCounts![i], j);
                double beyond = Math.Max(j.MinRad - q, q - j.MaxRad);
                if (beyond > worst)
                {
                    worst = beyond;
                    where = F($"joint {i + 1} ({j.Name}) goal {q:F4} rad at {t.Seconds(e.Ticks):F3} s, limits [{j.MinRad}, {j.MaxRad}]");
                }
            }
        }

        // One count of rounding is allowed: a goal exactly at the limit may round just past it.
        bool ok = frames > 0 && worst <= a.MarginRad + count;
        return (ok, frames == 0 ? "no goal frames on the bus" : F($"{frames} goal frames; closest approach: {where} ({(worst > 0 ? $"{worst:F4} rad beyond" : $"{-worst:F4} rad inside")})"));
    }

    private static (bool, string) HoldStill(AssertionSpec a, HilTrace t)
    {
        int intervals = 0, checkedFrames = 0;
        foreach ((long from, long to, StateTransition? entry) in t.StateIntervals(a.States))
        {
            intervals++;

            // Only frames provably sent inside the interval (after its start by the twin's read-order bound, parsed before
            // its end); of those, the first few may still carry goals the IO thread picked up just before the hold.
            var frames = Goals(t).Where(e => e.SentAfterTicks >= from && e.Ticks < to).Skip(a.GraceFrames).ToList();
            for (int k = 1; k < frames.Count; k++)
            {
                checkedFrames++;
                if (!frames[k].GoalCounts!.AsSpan().SequenceEqual(frames[0].GoalCounts))
                {
                    int joint = Enumerable.Range(0, t.Robot.JointCount).First(j => frames[k].GoalCounts![j] != frames[0].GoalCounts![j]);
                    return (false, F($"in {t.StateAt(from + 1)} from {t.Seconds(from):F3} s the goal of joint {joint + 1} moved from {frames[0].GoalCounts![joint]} to {frames[k].GoalCounts![joint]} counts at {t.Seconds(frames[k].Ticks):F3} s"));
                }
            }
        }

        return (true, $"{intervals} interval(s) in {string.Join("/", a.States)}; {checkedFrames} goal frames checked, all equal to the hold");
    }

    private static (bool, string) LatchedTorqueOff(AssertionSpec a, HilTrace t)
    {
        var entries = t.Transitions.Where(x => x.To is SafetyState.Fault or SafetyState.EStop && x.CycleTicks >= t.StartTicks && x.CycleTicks <= t.EndTicks).ToList();
        if (entries.Count == 0)
        {
            return (true, "no Fault or EStop during the run");
        }

        var lines = new List<string>();
        foreach (StateTransition e in entries)
        {
            // Until the next power-up, or (none in the run) as far as the recording goes: it runs on a little past the end.
            long until = t.Transitions.FirstOrDefault(x => x.CycleTicks > e.CycleTicks && x.To == SafetyState.Powering)?.CycleTicks ?? long.MaxValue;

            // A silent (cut) bus cannot carry the torque-off: the bound then starts when the bus is back (meanwhile the
            // servos' own bus watchdog stops them).
            long from = BusBackAfter(t, e.CycleTicks, a.BusWithinMs ?? 0);
            if (from >= until || (from == long.MaxValue))
            {
                lines.Add(F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s while the bus was cut (the servos' own watchdog stops them)"));
                continue;
            }

            TraceSample? off = t.Samples.FirstOrDefault(s => s.Ticks >= from && s.TorqueMask == 0);
            TraceSample? last = t.Samples.Count > 0 ? t.Samples[^1] : null;
            if (off is null && last is not null && HilTrace.Ms(from, last.Ticks) < (a.BusWithinMs ?? 100))
            {
                lines.Add(F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s, too close to the end of the recording to see the bus"));
                continue;
            }

            if (off is null || off.Ticks > until)
            {
                return (false, F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s, but torque never went off on every servo"));
            }

            double ms = HilTrace.Ms(from, off.Ticks);
            long resyncs = t.ResyncsBetween(from, off.Ticks);
            if (a.BusWithinMs is { } bound && ms > bound + (resyncs > 0 ? StallAllowanceMs : 0))
            {
                return (false, F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s; every servo's torque off only {ms:F1} ms later"));
            }

            TraceSample? back = t.Samples.FirstOrDefault(s => s.Ticks > off.Ticks && s.Ticks < until && s.TorqueMask != 0);
            if (back is not null)
            {
                return (false, F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s: torque came back on at {t.Seconds(back.Ticks):F3} s without a power-up"));
            }

            lines.Add(F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s: all torque off within {ms:F1} ms (sampled), off until {(until == long.MaxValue ? "the end" : "the next power-up")}"));
        }

        return (true, string.Join("; ", lines));
    }

    private static (bool, string) Corridor(AssertionSpec a, HilTrace t)
    {
        if (t.CorridorRobot is null)
        {
            return (false, "the scenario has no corridor");
        }

        double worst = double.NegativeInfinity;
        long at = 0;
        int skipped = 0, n = 0;
        foreach (TraceSample s in t.Samples)
        {
            if (s.Ticks < t.StartTicks || s.Ticks > t.EndTicks)
            {
                continue;
            }

            if (a.ExceptDuringFaults && t.DuringFault(s.Ticks, a.GraceMs))
            {
                skipped++;
                continue;
            }

            n++;
            double p = t.CorridorRobot.Query(s.ToolTrueM).Penetration * 1000;
            if (p > worst)
            {
                worst = p;
                at = s.Ticks;
            }
        }

        bool ok = n > 0 && worst <= a.ToleranceMm;
        return (ok, n == 0 ? "no samples outside injected faults" : F($"{n} samples ({skipped} during faults skipped); deepest: {(worst > 0 ? $"{worst:F2} mm beyond the wall" : $"{-worst:F2} mm inside")} at {t.Seconds(at):F3} s"));
    }

    private static (bool, string) GoalSteps(AssertionSpec a, HilTrace t)
    {
        RobotModel r = t.Robot;
        BusEvent? prev = null;
        double worst = 0;
        string where = "";
        foreach (BusEvent e in Goals(t))
        {
            if (prev is not null)
            {
                // Frames can queue in the pty and be parsed back to back: allow 20 ms of transit on top of the interval.
                double dt = HilTrace.Ms(prev.Ticks, e.Ticks) / 1000 + 0.020;
                for (int i = 0; i < r.JointCount; i++)
                {
                    JointSpec j = r.Joints[i];
                    double dq = Math.Abs(r.Servo.ToRad(e.GoalCounts![i], j) - r.Servo.ToRad(prev.GoalCounts![i], j));
                    double allowed = j.MaxVelocityRadS * dt + a.MarginRadS * dt + 0.01;
                    if (dq / allowed > worst)
                    {
                        worst = dq / allowed;
                        where = F($"joint {i + 1} stepped {dq:F4} rad in {(dt - 0.020) * 1000:F1} ms at {t.Seconds(e.Ticks):F3} s");
                    }
                }
            }

            prev = e;
        }

        return (worst <= 1, prev is null ? "no goal frames" : F($"largest step relative to the limit: {worst:P0} ({where})"));
    }

    private static (bool, string) BeamOnlyWhen(AssertionSpec a, HilTrace t)
    {
        RobotModel r = t.Robot;
        long grace = Slack(a.GraceMs);
        long badSince = 0;
        string why = "";
        int onSamples = 0;
        double worstMs = 0;
        string worst = "";
        var speedRef = new Queue<TraceSample>();
        foreach (TraceSample s in t.Samples)
        {
            speedRef.Enqueue(s);
            while (speedRef.Count > 1 && s.Ticks - speedRef.Peek().Ticks > Slack(20))
            {
                speedRef.Dequeue();
            }

            if (!s.BeamOn || s.Ticks < t.StartTicks || s.Ticks > t.EndTicks)
            {
                badSince = 0;
                continue;
            }

            onSamples++;
            BeamInterval? interval = t.Beams.FirstOrDefault(b => b.StartTicks <= s.Ticks && (b.EndTicks == 0 || b.EndTicks >= s.Ticks));
            var problems = new List<string>();
            SafetyState state = t.StateAt(s.Ticks);
            if (state != SafetyState.Ready)
            {
                problems.Add("state " + state);
            }

            if (interval is null || !t.BeamPoses.TryGetValue(interval.Beam, out Pose planned))
            {
                problems.Add("no planned pose for the beam");
            }
            else
            {
                Pose tool = r.ForwardKinematics(s.TrueRad);
                double mm = (tool.Position - planned.Position).Length * 1000;
                double deg = Quat.AngleBetween(tool.Orientation, planned.Orientation) * 180 / Math.PI;
                if (mm > a.ToleranceMm || deg > a.ToleranceDeg)
                {
                    problems.Add(F($"off the planned pose by {mm:F2} mm / {deg:F2}°"));
                }
            }

            TraceSample old = speedRef.Peek();
            double dtS = (s.Ticks - old.Ticks) / (double)Stopwatch.Frequency;
            if (dtS > 0.005)
            {
                double v = Enumerable.Range(0, r.JointCount).Max(i => Math.Abs(s.TrueRad[i] - old.TrueRad[i])) / dtS;
                if (v > a.StationaryRadS)
                {
                    problems.Add(F($"arm moving at {v:F3} rad/s"));
                }
            }

            if (s.PatientMm.Length > a.PatientToleranceMm)
            {
                problems.Add(F($"patient displaced {s.PatientMm.Length:F2} mm"));
            }

            if (problems.Count == 0)
            {
                badSince = 0;
                continue;
            }

            if (badSince == 0)
            {
                badSince = s.Ticks;
                why = string.Join(", ", problems);
            }

            double ms = HilTrace.Ms(badSince, s.Ticks);
            if (ms > worstMs)
            {
                worstMs = ms;
                worst = F($"beam {interval?.Beam} on at {t.Seconds(s.Ticks):F3} s for {ms:F0} ms while {why}");
            }

            if (s.Ticks - badSince > grace)
            {
                return (false, worst);
            }
        }

        return (onSamples > 0, onSamples == 0 ? "the beam was never on" : F($"{onSamples} beam-on samples; ") + (worst.Length == 0 ? "every one in Ready at the planned pose, stationary, patient within tolerance" : "longest reaction: " + worst));
    }

    private static (bool, string) BeamHold(AssertionSpec a, HilTrace t)
    {
        if (FaultOf(t, a.Fault) is not { } f)
        {
            return (false, $"fault '{a.Fault}' was never injected");
        }

        long end = f.EndTicks == 0 ? t.EndTicks : f.EndTicks;
        BeamInterval? onAtStart = t.Beams.FirstOrDefault(b => b.StartTicks <= f.StartTicks && (b.EndTicks == 0 || b.EndTicks > f.StartTicks));
        double bound = a.WithinMs ?? a.GraceMs;
        string held;
        if (onAtStart is not null)
        {
            if (onAtStart.EndTicks == 0 || onAtStart.EndTicks > end)
            {
                return (false, F($"beam {onAtStart.Beam} stayed on through the fault ({t.Seconds(f.StartTicks):F3}–{t.Seconds(end):F3} s)"));
            }

            double ms = HilTrace.Ms(f.StartTicks, onAtStart.EndTicks);
            if (ms > bound)
            {
                return (false, F($"beam {onAtStart.Beam} off only {ms:F1} ms after the fault began ({onAtStart.EndReason})"));
            }

            held = F($"beam {onAtStart.Beam} held {ms:F1} ms after the fault began ({onAtStart.EndReason})");
        }
        else
        {
            held = "the beam was off when the fault began";
        }

        BeamInterval? during = t.Beams.FirstOrDefault(b => b.StartTicks > f.StartTicks + Slack(bound) && b.StartTicks < end);
        if (during is not null)
        {
            return (false, held + F($"; but beam {during.Beam} came on during the fault at {t.Seconds(during.StartTicks):F3} s"));
        }

        if (a.Resumes)
        {
            BeamInterval? resumed = t.Beams.FirstOrDefault(b => b.StartTicks >= end);
            if (resumed is null)
            {
                return (false, held + "; the beam never resumed after the fault");
            }

            return (true, held + F($"; resumed {HilTrace.Ms(end, resumed.StartTicks):F0} ms after the fault ended (beam {resumed.Beam})"));
        }

        return (true, held);
    }

    private static (bool, string) BeamsDelivered(AssertionSpec a, HilTrace t)
    {
        if (t.BeamMu.Count == 0)
        {
            return (false, "no planned beams");
        }

        var parts = new List<string>();
        bool ok = true;
        foreach ((int beam, double mu) in t.BeamMu.OrderBy(kv => kv.Key))
        {
            double got = t.DeliveredMu.GetValueOrDefault(beam);
            ok &= Math.Abs(got - mu) <= a.MuTolerance;
            parts.Add(F($"beam {beam}: {got:F2}/{mu:F2} MU in {t.Beams.Count(b => b.Beam == beam)} interval(s)"));
        }

        return (ok, string.Join("; ", parts));
    }

    private static (bool, string) NeverState(AssertionSpec a, HilTrace t)
    {
        if (a.States.Contains(t.StateAt(t.StartTicks)))
        {
            return (false, $"already {t.StateAt(t.StartTicks)} at time 0");
        }

        StateTransition? bad = t.Transitions.FirstOrDefault(x => x.CycleTicks > t.StartTicks && x.CycleTicks <= t.EndTicks && a.States.Contains(x.To));
        return bad is null ? (true, $"never {string.Join("/", a.States)} ({t.Transitions.Count(x => x.CycleTicks > t.StartTicks && x.CycleTicks <= t.EndTicks)} transitions in the run)")
            : (false, F($"{bad.To} at {t.Seconds(bad.CycleTicks):F3} s (trigger {bad.Trigger}, interlocks {bad.Interlocks})"));
    }

    private static (bool, string) StateIs(AssertionSpec a, HilTrace t, long ticks, string when)
    {
        SafetyState s = t.StateAt(ticks);
        return (a.States.Contains(s), $"{s} {when}");
    }

    private static (bool, string) InterlockRaised(AssertionSpec a, HilTrace t)
    {
        InterlockRaise? r = t.Raises.FirstOrDefault(x => x.Interlock == a.Interlock && x.CycleTicks >= t.StartTicks && x.CycleTicks <= t.EndTicks);
        return r is null ? (false, $"{a.Interlock} was never raised") : (true, F($"raised in cycle {r.Cycle} at {t.Seconds(r.CycleTicks):F3} s"));
    }

    private static (bool, string) ForceFeedback(AssertionSpec a, HilTrace t)
    {
        var forces = t.Forces.Where(f => f.Ticks >= t.StartTicks && f.Ticks <= t.EndTicks).ToList();
        double max = forces.Select(f => f.ForceN.Length).DefaultIfEmpty(0).Max();
        int active = forces.Count(f => f.FixtureActive);
        return (max >= a.MinN, F($"{active} force messages with the fixture active; largest {max:F2} N"));
    }

    private static (bool, string) Latency(AssertionSpec a, HilTrace t)
    {
        (double p50, double p99, double max, long count) = t.HapticToServoMs;
        return (count > 0 && p99 <= a.P99Ms, count == 0 ? "no master sample reached the bus" : F($"{count} samples: p50 {p50:F2} ms, p99 {p99:F2} ms, max {max:F2} ms"));
    }

    private static (bool, string) AuditIntact(HilTrace t)
    {
        if (t.AuditPath is null || !File.Exists(t.AuditPath))
        {
            return (false, "no audit log");
        }

        using var stream = new FileStream(t.AuditPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        AuditVerification v = AuditVerifier.Verify(stream);
        return (v.IsValid, v.IsValid ? $"{v.Records} records, chain intact" : $"broken at line {v.FirstBadLine}: {v.Problem}");
    }
}
