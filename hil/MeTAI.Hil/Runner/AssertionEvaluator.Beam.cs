using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation.Devices;

namespace MeTAI.Hil.Runner;

// Radiotherapy: the beam on only when it is safe, held on a fault, and every planned beam delivered.
public static partial class AssertionEvaluator
{
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

        // Came on while the fault was surely still there: before its removal began (once the patient is back, the
        // permit may come back before the removal's end is stamped).
        long surelyActiveUntil = f.EndTicks == 0 ? t.EndTicks : f.EarliestEndTicks;
        BeamInterval? during = t.Beams.FirstOrDefault(b => b.StartTicks > f.StartTicks + Slack(bound) && b.StartTicks < surelyActiveUntil);
        if (during is not null)
        {
            return (false, held + F($"; but beam {during.Beam} came on during the fault at {t.Seconds(during.StartTicks):F3} s"));
        }

        if (a.Resumes)
        {
            BeamInterval? resumed = t.Beams.FirstOrDefault(b => b.StartTicks >= surelyActiveUntil);
            if (resumed is null && t.Transitions.FirstOrDefault(x => x.To is SafetyState.Fault or SafetyState.EStop && x.WrittenTicks < surelyActiveUntil) is { } latched)
            {
                // A latched stop keeps the beam off until an operator resets it: staying off is the safe outcome, and
                // the delivery's own assertions (plan delivered, no fault) fail the run.
                return (true, held + F($"; no resumption demanded: the controller latched {latched.To} ({latched.Interlocks}) at {t.Seconds(latched.WrittenTicks):F3} s, before the fault's removal began"));
            }

            if (resumed is null)
            {
                return (false, held + "; the beam never resumed after the fault");
            }

            return (true, held + F($"; resumed {HilTrace.Ms(surelyActiveUntil, resumed.StartTicks):F0} ms after the fault's removal began (beam {resumed.Beam})"));
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
}
