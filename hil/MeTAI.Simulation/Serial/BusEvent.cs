namespace MeTAI.Simulation.Serial;

/// <summary>What the servo chain twin saw on the bus (a HIL trace entry).</summary>
public enum BusEventKind
{
    /// <summary>A Sync Write of Goal Position (counts per servo, in chain order).</summary>
    GoalWrite,

    /// <summary>A servo's torque went off.</summary>
    TorqueOff,

    /// <summary>A servo's torque came on.</summary>
    TorqueOn,
}

/// <summary>One bus event as the twin received it.</summary>
/// <param name="Ticks">Stopwatch ticks when the twin parsed the instruction (an upper bound of when it was sent).</param>
/// <param name="Kind">What happened.</param>
/// <param name="ServoId">Servo (0 for a goal write, which covers the chain).</param>
/// <param name="GoalCounts">Goals in chain order (goal writes only).</param>
/// <param name="SentAfterTicks">A lower bound of when it was sent: the twin's previous read of the pty returned then,
/// having taken every byte there was, so this instruction was written later. A twin thread that was descheduled parses a
/// backlog late; this bound still orders the instruction correctly against the controller's own timestamps.</param>
public sealed record BusEvent(long Ticks, BusEventKind Kind, byte ServoId, int[]? GoalCounts, long SentAfterTicks);
