using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;
using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Runner;

// What reached the servo bus: goals within the joint limits and velocity limits, goals held still while stopped, torque
// off after every latch.
public static partial class AssertionEvaluator
{
    /// <summary>
    /// When the bus can carry a write made at <paramref name="ticks"/>: at once, or after the end of a bus cut under way
    /// then or beginning within <paramref name="windowMs"/> after it (a write just before a cut may be lost in it, and the
    /// claim's bound is only fair on a bus that is up for that long), chained over cuts that follow one another. A wire
    /// held by a rogue talker (busCollision) or a servo at another baud rate (baudMismatch) cannot carry it to every
    /// servo either: they count as cuts. <see cref="long.MaxValue"/>: cut to the end.
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
                if (x.Kind is FaultKind.BusSilent or FaultKind.BusCollision or FaultKind.BaudMismatch && x.StartTicks <= from + Slack(windowMs) && end > from)
                {
                    from = end;
                    moved = true;
                }
            }
        }

        return from;
    }

    /// <summary>
    /// Milliseconds of [<paramref name="from"/>, <paramref name="to"/>] during which the servo wire could carry nothing
    /// to or from every device (a bus cut, a rogue talker holding it, a baud-rate mismatch): a reaction whose input is
    /// read over that wire (the power relay's read-back: welded contacts, an open e-stop loop) cannot begin before it is
    /// back, so its bound runs that much longer. Overlapping cuts count once.
    /// </summary>
    private static double BusCutMsBetween(HilTrace t, long from, long to)
    {
        long covered = 0, until = from;
        foreach (FaultRecord x in t.Faults.Where(x => x.Kind is FaultKind.BusSilent or FaultKind.BusCollision or FaultKind.BaudMismatch).OrderBy(x => x.StartTicks))
        {
            long start = Math.Max(x.StartTicks, until), end = Math.Min(x.EndTicks == 0 ? to : x.EndTicks, to);
            if (end > start)
            {
                covered += end - start;
                until = end;
            }
        }

        return HilTrace.Ms(0, covered);
    }

    /// <summary>
    /// When each servo's torque went off at or after <paramref name="from"/> (Stopwatch ticks; 0: not seen off): the servo
    /// twin's own record of the write that turned it off, stamped by its real-time thread, else — torque that dropped by
    /// itself (an overload latched, servo power lost) — the first trace sample that shows it off. The trace recorder is
    /// an ordinary thread: its samples can lag the bus by a scheduling delay, the twin's record does not.
    /// </summary>
    private static long[] TorqueOffTimes(HilTrace t, long from)
    {
        var offAt = new long[t.Robot.JointCount];
        foreach (BusEvent e in t.Bus)
        {
            if (e.Kind == BusEventKind.TorqueOff && e.Ticks >= from && IndexOf(t.Robot, e.ServoId) is int j and >= 0 && offAt[j] == 0)
            {
                offAt[j] = e.Ticks;
            }
        }

        for (int j = 0; j < offAt.Length; j++)
        {
            if (offAt[j] == 0 && t.Samples.FirstOrDefault(s => s.Ticks >= from && (s.TorqueMask & (1 << j)) == 0) is { } selfOff)
            {
                offAt[j] = selfOff.Ticks;
            }
        }

        return offAt;
    }

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

            // Each servo's torque off (a servo already off when the latch began counts as off then).
            long[] offAt = TorqueOffTimes(t, from);
            TraceSample? atFrom = t.Samples.LastOrDefault(s => s.Ticks <= from);
            for (int j = 0; j < offAt.Length; j++)
            {
                if (offAt[j] == 0 && atFrom is not null && (atFrom.TorqueMask & (1 << j)) == 0)
                {
                    offAt[j] = from;
                }
            }

            long offTicks = offAt.Contains(0) ? 0 : offAt.Max();
            TraceSample? last = t.Samples.Count > 0 ? t.Samples[^1] : null;
            if (offTicks == 0 && last is not null && HilTrace.Ms(from, last.Ticks) < (a.BusWithinMs ?? 100))
            {
                lines.Add(F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s, too close to the end of the recording to see the bus"));
                continue;
            }

            if (offTicks == 0 || offTicks > until)
            {
                return (false, F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s, but torque never went off on every servo"));
            }

            double ms = HilTrace.Ms(from, offTicks);
            long resyncs = t.ResyncsBetween(from, offTicks);
            double stall = t.StallMsBetween(from, offTicks);
            if (a.BusWithinMs is { } bound && ms > bound + stall + (resyncs > 0 ? StallAllowanceMs : 0))
            {
                return (false, F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s; every servo's torque off only {ms:F1} ms later{SampleGap(t, from, offTicks)}"));
            }

            TraceSample? back = t.Samples.FirstOrDefault(s => s.Ticks > offTicks && s.Ticks < until && s.TorqueMask != 0);
            if (back is not null)
            {
                return (false, F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s: torque came back on at {t.Seconds(back.Ticks):F3} s without a power-up"));
            }

            lines.Add(F($"{e.To} at {t.Seconds(e.CycleTicks):F3} s: all torque off within {ms:F1} ms{StallNote(stall, t, from, offTicks)}, off until {(until == long.MaxValue ? "the end" : "the next power-up")}"));
        }

        return (true, string.Join("; ", lines));
    }

    // The longest gap between trace samples in [from, to]: a late verdict read from samples names how sparse they were.
    private static string SampleGap(HilTrace t, long from, long to)
    {
        double gap = 0;
        TraceSample? prev = null;
        foreach (TraceSample s in t.Samples.Where(s => s.Ticks >= from && s.Ticks <= to))
        {
            gap = prev is null ? gap : Math.Max(gap, HilTrace.Ms(prev.Ticks, s.Ticks));
            prev = s;
        }

        return F($" (longest gap between trace samples in that window {gap:F1} ms)");
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
}
