using System.Diagnostics;
using System.Globalization;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Judges one assertion over a recorded <see cref="HilTrace"/>. Times are measured on the controller's own clock where the
/// claim is about the controller (loop deadlines of its cycles, its timestamps of the inputs behind an interlock), and in
/// control cycles where the claim is in cycles; the machine's speed is never asserted. When the loop had to re-base its
/// schedule (a stall of the whole machine) inside a measured window, a millisecond bound is relaxed by one second and the
/// verdict says so.
/// </summary>
public static partial class AssertionEvaluator
{
    private const double StallAllowanceMs = 1000;

    // A reaction timed across a stall of the test machine (StallWitness: one CPU or all) gets that stall added to its
    // bound; the verdict says how long, and how much of it was garbage collection.
    /// <summary>The words with which a verdict says its bound was relaxed by a witnessed stall of the test machine.</summary>
    public const string StallMarker = "the test machine stood still";

    private static string StallNote(double stallMs, HilTrace t, long from, long to)
    {
        if (stallMs <= 0)
        {
            return "";
        }

        double gc = t.GcMsBetween(from, to);
        return F($"; {StallMarker} {stallMs:F1} ms in this window ({gc:F1} ms of it garbage collection): bound relaxed by that");
    }

    /// <summary>Evaluates <paramref name="a"/>.</summary>
    public static AssertionResult Evaluate(AssertionSpec a, HilTrace trace, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(scenario);
        string claim = a.Description.Length > 0 ? a.Description : Claim(a);
        if (NotExercised(a, trace, scenario.Controller.HeartbeatWatchdogMs, scenario.Controller.ServoTimeoutMs) is { } why)
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
}
