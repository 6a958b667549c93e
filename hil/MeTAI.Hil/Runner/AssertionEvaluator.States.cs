using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Audit;
using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Runner;

// States, interlocks, the tool in its corridor, force feedback, latency and the audit log.
public static partial class AssertionEvaluator
{
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
