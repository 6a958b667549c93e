using MeTAI.Robotics.Safety;

namespace MeTAI.Hil.Traces;

/// <summary>A supervisor transition from the controller's audit stream.</summary>
/// <param name="Cycle">Loop cycle.</param>
/// <param name="CycleTicks">The cycle's deadline (the loop's clock).</param>
/// <param name="From">From.</param>
/// <param name="To">To.</param>
/// <param name="Trigger">Trigger.</param>
/// <param name="Interlocks">Active interlocks then.</param>
/// <param name="WrittenTicks">When the controller wrote the record (real time; after a stall of the loop thread, later than the deadline).</param>
public sealed record StateTransition(long Cycle, long CycleTicks, SafetyState From, SafetyState To, string Trigger, string Interlocks, long WrittenTicks)
{
    /// <summary>Did the transition happen after <paramref name="ticks"/>? By its deadline (2 ms slack) or, when the loop ran late after a stall, by when it was written.</summary>
    public bool IsAfter(long ticks) => CycleTicks >= ticks - TraceTime.TwoMs || WrittenTicks >= ticks;
}

/// <summary>An interlock raised, with the controller's own timestamp of the input behind it.</summary>
/// <param name="Cycle">Detection cycle.</param>
/// <param name="CycleTicks">Its deadline.</param>
/// <param name="Interlock">The bit.</param>
/// <param name="InputTicks">When the input behind it arrived (last heartbeat, e-stop message, last servo reading); 0: none.</param>
/// <param name="InputCycle">Cycle the input arrived in (e-stop), else −1.</param>
/// <param name="WrittenTicks">When the controller wrote the record (real time).</param>
public sealed record InterlockRaise(long Cycle, long CycleTicks, Interlocks Interlock, long InputTicks, long InputCycle, long WrittenTicks)
{
    /// <summary>
    /// Was it raised after <paramref name="ticks"/>? By its cycle's deadline (2 ms slack) or by when it was written: a loop
    /// thread descheduled for a few milliseconds runs its next cycle with the old deadline, so an input that arrived
    /// during the stall is acted on in a cycle whose deadline is before the input.
    /// </summary>
    public bool IsAfter(long ticks) => CycleTicks >= ticks - TraceTime.TwoMs || WrittenTicks >= ticks;
}

/// <summary>Tick constants of trace comparisons.</summary>
internal static class TraceTime
{
    /// <summary>2 ms in Stopwatch ticks.</summary>
    public static readonly long TwoMs = System.Diagnostics.Stopwatch.Frequency / 500;
}

/// <summary>A fault as injected.</summary>
/// <param name="Id">Scenario id.</param>
/// <param name="Kind">Kind.</param>
/// <param name="Description">What.</param>
/// <param name="StartTicks">Injected at.</param>
/// <param name="EndTicks">Removed at: stamped once its removal is done (0: a one-off).</param>
/// <param name="RemovingTicks">
/// When its removal began (0: not recorded, take <paramref name="EndTicks"/>). The fault may be gone at any moment
/// between this and <paramref name="EndTicks"/>: a judge that excuses what happens during the fault takes the end, one
/// that forbids something during it (the beam coming back on) takes this.
/// </param>
public sealed record FaultRecord(string Id, Scenarios.FaultKind Kind, string Description, long StartTicks, long EndTicks, long RemovingTicks = 0)
{
    /// <summary>The earliest moment the fault may have been gone (its removal began; the end for a fault with none recorded).</summary>
    public long EarliestEndTicks => RemovingTicks != 0 ? RemovingTicks : EndTicks;
}

/// <summary>A stimulus as applied.</summary>
/// <param name="Ticks">When.</param>
/// <param name="Description">What.</param>
public sealed record StimulusRecord(long Ticks, string Description);
