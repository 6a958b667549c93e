using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Runner;

// Reactions to a fault: the state reached and the torque taken off, timed on the controller's clock from the input
// behind them, and when a reaction was not put to the test.
public static partial class AssertionEvaluator
{
    // A reaction cannot be judged when the controller had already stopped (for another reason, e.g. a spurious trip on a
    // loaded machine) when the fault began, or was in a state where the reaction is no change.
    private static string? NotExercised(AssertionSpec a, HilTrace t, double? heartbeatWatchdogMs, double? servoTimeoutMs)
    {
        if (a.Kind == AssertionKind.JointLimits && !Goals(t).Any() && TorqueOnMs(t, wireUp: true) is var on && on < NoGoalsTorqueOnMs(servoTimeoutMs))
        {
            // The controller stopped (Fault, EStop) as the run began, before its IO thread's next goal write, or had torque
            // on only while the wire carried nothing a servo could hear (a cut bus, a rogue talker, a baud-rate mismatch:
            // the goals it wrote then never reached the twin, which is the fault): there was no goal to check. Longer with
            // torque on, the wire up and still no goal would be a controller that stopped writing.
            double all = TorqueOnMs(t, wireUp: false);
            return F($"no goal frame on the bus, and the controller had torque on for only {on:F0} ms of the run with the wire up")
                + (all > on ? F($" ({all:F0} ms in all, the rest while the wire was cut or garbled by an injected fault)") : "");
        }

        if (a.Kind is AssertionKind.BeamOnlyWhen or AssertionKind.BeamHold && t.Beams.Count == 0
            && t.Transitions.FirstOrDefault(x => x.To is SafetyState.Fault or SafetyState.EStop) is { } stop)
        {
            // The controller stopped (for something else) before the first beam: a beam that never came on broke no
            // beam rule, and a fault timed from the first beam-on was never injected. Nothing was put to the test; the
            // functional assertions (plan delivered, no fault) say the run failed.
            return F($"the beam never came on: the controller stopped ({stop.To}, {stop.Interlocks}) at {t.Seconds(stop.WrittenTicks):F3} s, before the first beam");
        }

        if (a.Kind == AssertionKind.BeamHold && FaultOf(t, a.Fault) is { } patientFault
            && t.Transitions.LastOrDefault(x => x.WrittenTicks < patientFault.StartTicks) is { To: SafetyState.Fault or SafetyState.EStop } before)
        {
            // Latched before the patient moved (the demo, 2026-12-07: a ServoBus Fault 0.1 s before the cough): the beam
            // was off and could not come back; neither the hold nor the resumption was put to the test.
            return F($"the controller was already {before.To} ({before.Interlocks}, at {t.Seconds(before.WrittenTicks):F3} s) when fault '{a.Fault}' began: the beam was off and latched off");
        }

        if (a.Kind is not (AssertionKind.Reaction or AssertionKind.TorqueOff) || FaultOf(t, a.Fault) is not { } f)
        {
            return null;
        }

        if (a.Kind == AssertionKind.TorqueOff && t.Mqtt.Count > 0 && !EStopDelivered(t, f))
        {
            // A broker outage or a cut connection (another fault) kept the message from the controller: the claim
            // (torque off within 2 cycles of the message's arrival) was not put to the test. A pressed button is
            // published again every 50 ms, so a real press still arrives once the link is back — and a link down for
            // longer than the e-stop watchdog latches EStop by itself.
            return $"the e-stop message of fault '{a.Fault}' never reached the controller (broker or connection down)";
        }

        if (a.Kind == AssertionKind.Reaction && a.Interlock == Interlocks.HapticHeartbeat && t.Mqtt.Count > 0 && heartbeatWatchdogMs is { } watchdog
            && LongestHeartbeatGapMs(t, f) is { } gap && gap <= watchdog + HeartbeatGapMarginMs)
        {
            // Injected latency that changed during the stop (the last heartbeat before it delayed, the first after it
            // not) shortens the silence the controller sees below its watchdog: nothing to react to.
            return F($"the heartbeats of fault '{a.Fault}' reached the controller at most {gap:F1} ms apart (watchdog {watchdog:0.###} ms): injected latency shortened the silence");
        }

        if (f.Kind == FaultKind.RelayStuckClosed && a.Kind == AssertionKind.Reaction && WeldNeverTested(a, t, f) is { } untested)
        {
            return untested;
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

    // Welded contacts look like sound ones while the relay is fed (coil energised, power on): nothing can tell them apart
    // until the feed stops and the board's trip leaves power on. The reaction is put to the test only when the controller
    // stopped feeding (a stop: torque off) after the weld, early enough for the board's trip and its read-back to fall
    // inside the run (the assertion's bound, which is timed from the last feed). A stop the operator commanded can be
    // lost with the connection (another fault), and a stop for another cause can come late in the run.
    private static string? WeldNeverTested(AssertionSpec a, HilTrace t, FaultRecord f)
    {
        StateTransition? stop = t.Transitions.FirstOrDefault(x => x.WrittenTicks >= f.StartTicks
            && x.To is SafetyState.Disabled or SafetyState.Fault or SafetyState.EStop);
        if (stop is null)
        {
            return $"the arm was never stopped after fault '{a.Fault}' (the relay was fed throughout): welded contacts show only when the feed stops";
        }

        double leftMs = HilTrace.Ms(stop.CycleTicks, t.EndTicks);
        return a.WithinMs is { } within && leftMs < within
            ? F($"the arm stopped ({stop.To}) only {leftMs:F0} ms before the end of the run, less than the {within:0} ms the relay's trip and read-back take after the last feed")
            : null;
    }

    // How long the controller may hold torque on without a goal frame reaching the bus: until its servo-bus watchdog
    // (the servo timeout after the last complete reading, 40 ms shipped) has latched Fault, with the 5 ms margin the
    // campaign's ServoBus reactions are judged by. An IO thread held up from the run's start (seed 1150481 in the CI
    // campaign, 2026-12-08: Following 5.5 ms before recording began, ServoBus Fault 40.5 ms after) is that watchdog
    // doing its work; torque on longer with no goal and no Fault would be a controller that stopped writing unnoticed.
    // (Was 40 ms flat: one Sync Read waiting out three 10 ms reply timeouts and the write after it.)
    private static double NoGoalsTorqueOnMs(double? servoTimeoutMs) => (servoTimeoutMs ?? ShippedServoTimeoutMs) + 5;

    private static readonly double ShippedServoTimeoutMs = new MeTAI.Robotics.Control.ControllerOptions().ServoTimeoutMs;

    // Milliseconds of the run the controller spent in a state that keeps torque on (every state but Disabled, Powering,
    // Fault, EStop); with wireUp, only while no wire fault (busSilent, busCollision, baudMismatch) was under way. Powering
    // writes no goal: torque comes on at its end, at the present position (campaign seed 44126894: 300 ms of power-up on
    // a reused rig, the relay test waiting for the last run's power to read off, then a bus cut; the judge counted them
    // as torque on and called the missing goals a violation).
    private static double TorqueOnMs(HilTrace t, bool wireUp)
    {
        double ms = 0;
        for (int i = 1; i < t.Samples.Count; i++)
        {
            if (t.Samples[i - 1].State is not (SafetyState.Disabled or SafetyState.Powering or SafetyState.Fault or SafetyState.EStop)
                && !(wireUp && WireDown(t, t.Samples[i - 1].Ticks)))
            {
                ms += HilTrace.Ms(t.Samples[i - 1].Ticks, t.Samples[i].Ticks);
            }
        }

        return ms;
    }

    // A wire fault (cut bus, rogue talker, baud-rate mismatch) under way at ticks.
    private static bool WireDown(HilTrace t, long ticks) => t.Faults.Any(x => x.Kind is FaultKind.BusSilent or FaultKind.BusCollision or FaultKind.BaudMismatch
        && x.StartTicks <= ticks && (x.EndTicks == 0 || x.EndTicks > ticks));

    private static (bool, string) Reaction(AssertionSpec a, HilTrace t)
    {
        if (FaultOf(t, a.Fault) is not { } f)
        {
            return (false, $"fault '{a.Fault}' was never injected (scheduled after the end?)");
        }

        // The assertion's interlock may name several bits (any of them is the reaction: a deadman release travels in the
        // poses, so with the poses stopped the pose-staleness watchdog is what holds).
        InterlockRaise? raise = t.Raises.FirstOrDefault(r => r.IsAfter(f.StartTicks) && (a.Interlock is null || (r.Interlock & a.Interlock.Value) != 0));
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
                && preMs <= (a.WithinMs ?? double.PositiveInfinity) + t.StallMsBetween(f.StartTicks, tr.CycleTicks) + (t.ResyncsBetween(f.StartTicks, tr.CycleTicks) > 0 ? StallAllowanceMs : 0))
            {
                return (true, F($"pre-empted: the controller latched {tr.To} {preMs:F1} ms after the fault (trigger {tr.Trigger}, interlocks {tr.Interlocks}) before {il} could be raised"));
            }

            return (false, $"{tr.To} reached (trigger {tr.Trigger}, interlocks {tr.Interlocks}) but {il} was never raised");
        }

        long reference = raise is { InputTicks: > 0 } ? raise.InputTicks
            : a.Interlock is { } dm && (dm & Interlocks.DeadmanReleased) != 0 && DeadmanArrival(t, f) is { } arrival ? Math.Max(f.StartTicks, arrival) : f.StartTicks;
        string refName = raise is { InputTicks: > 0 } ? raise.Interlock switch
        {
            Interlocks.HapticHeartbeat => "the last heartbeat",
            Interlocks.EStop => "the e-stop message",
            Interlocks.ServoBus => "the last complete servo reading",
            Interlocks.MasterPoseStale => "the last new master pose",
            Interlocks.EStopDeviceSilent => "the last e-stop device heartbeat",
            Interlocks.ServoPower => "the relay's last feed",
            _ => "the input",
        } : reference != f.StartTicks ? "the first pose carrying the release reached the controller" : "the injection";
        double ms = HilTrace.Ms(reference, tr.CycleTicks);
        long cycles = raise is null ? 0 : tr.Cycle - raise.Cycle;
        long resyncs = t.ResyncsBetween(reference, tr.CycleTicks);
        double stall = t.StallMsBetween(reference, tr.CycleTicks);
        // The relay's read-back travels on the servo wire: while it is cut nothing can be read (campaign seed 72001774:
        // welded contacts and a 92 ms bus cut, Fault 9 ms after the wire came back, 152 ms after the last feed).
        double cut = a.Interlock is { } wire && (wire & Interlocks.ServoPower) != 0 || f.Kind == FaultKind.EStopCableCut ? BusCutMsBetween(t, reference, tr.CycleTicks) : 0;
        double bound = (a.WithinMs ?? double.PositiveInfinity) + stall + cut + (resyncs > 0 ? StallAllowanceMs : 0);
        bool ok = ms <= bound && (a.WithinCycles is null || cycles <= a.WithinCycles);
        string detail = F($"{tr.To} at cycle {tr.Cycle}, {ms:F1} ms after {refName} (loop deadline)")
            + (raise is null ? "" : F($", {cycles} cycle(s) after {raise.Interlock} was detected"))
            + StallNote(stall, t, reference, tr.CycleTicks)
            + (cut > 0 ? F($"; the servo wire was cut for {cut:F1} ms of it (the read-back waits for it): bound {bound:F1} ms") : "")
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
        // A servo whose torque was already off (e.g. by its own hardware error) needs no write; one whose torque drops by
        // itself after the press (an overload latched at the same moment) shows no write either (TorqueOffTimes).
        long[] offAt = TorqueOffTimes(t, raise.InputTicks);
        TraceSample? atPress = t.Samples.LastOrDefault(s => s.Ticks <= raise.InputTicks);

        var missing = Enumerable.Range(0, n).Where(j => offAt[j] == 0 && (atPress is null || (atPress.TorqueMask & (1 << j)) != 0)).ToList();
        // A silent (cut) bus cannot carry the torque-off (as in latched-torque-off): the bus bound then starts when the
        // bus is back, and a bus cut to the end of the run leaves the bus part unexercised (the write is still judged).
        long busFrom = BusBackAfter(t, raise.InputTicks, a.BusWithinMs ?? 0);
        bool cutToEnd = busFrom == long.MaxValue || (t.Samples.Count > 0 && busFrom >= t.Samples[^1].Ticks);
        bool cutAtArrival = busFrom != raise.InputTicks;
        double busMs = cutToEnd ? 0 : offAt.Where(x => x > 0).Select(x => HilTrace.Ms(busFrom, Math.Max(x, busFrom))).DefaultIfEmpty(0).Max();
        long resyncs = cutToEnd ? 0 : t.ResyncsBetween(busFrom, busFrom + Slack(busMs));
        double stall = cutToEnd ? 0 : t.StallMsBetween(busFrom, busFrom + Slack(busMs));
        // When the bus comes back, the IO thread may be waiting out the reply timeout of a transaction it sent into the
        // silence; the torque-off repeat follows that transaction. So a cut-at-arrival bound adds one reply timeout.
        double? bound = a.BusWithinMs is { } b ? b + (cutAtArrival ? replyTimeoutMs : 0) + stall + (resyncs > 0 ? StallAllowanceMs : 0) : null;
        bool ok = cycles <= (a.WithinCycles ?? 2) && (cutToEnd || (missing.Count == 0 && (bound is null || busMs <= bound)));
        string bus = cutToEnd
            ? "the bus was cut from before the e-stop to the end of the run (the servos' own watchdog stops them)"
            : missing.Count > 0
                ? $"torque never went off on joint(s) {string.Join(", ", missing.Select(j => j + 1))}"
                : F($"every servo's torque off on the bus {busMs:F2} ms after {(cutAtArrival ? "the bus came back (it was cut when the e-stop arrived)" : "arrival")}")
                    + (bound is { } bb ? F($" (bound {bb:0.###} ms{(cutAtArrival ? F($", incl. one {replyTimeoutMs} ms reply timeout in flight") : "")}{(stall > 0 ? F($", incl. {stall:F1} ms: {StallMarker} so long") : "")})") : "");
        // Where the time went: the IO thread's write of the torque off (the controller) and the twin hearing it (the wire).
        string io = t.TorqueOffWrites.FirstOrDefault(w => w.WrittenTicks >= raise.InputTicks) is { WrittenTicks: > 0 } w
            ? F($"; the servo IO thread wrote it {HilTrace.Ms(raise.InputTicks, w.WrittenTicks):F2} ms after arrival") : "";
        return (ok, F($"e-stop arrived in cycle {raise.InputCycle}; torque off written in cycle {tr.Cycle} ({cycles} cycle(s)); ") + bus + io
            + (resyncs > 0 ? "; loop stall in the window: bus bound relaxed by 1 s" : ""));
    }

    // Did the proxy forward an e-stop message that reads as pressed to the controller after the fault began?
    private static bool EStopDelivered(HilTrace t, FaultRecord f) => t.Mqtt.Any(m => m.Ticks >= f.StartTicks && (ToController(m, "/estop") || ToController(m, "/estop/device"))
        && (m.Payload is null || Robotics.Transport.MqttPayloads.ReadEStopPressed(m.Payload)));

    // Margin between the proxy's clock of a heartbeat's forwarding and the controller's of its arrival (scheduling of
    // delayed packets, the client's receive path).
    private const double HeartbeatGapMarginMs = 5;

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
}
