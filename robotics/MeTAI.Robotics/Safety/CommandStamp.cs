namespace MeTAI.Robotics.Safety;

/// <summary>Provenance of a servo command: the loop cycle and the master sample it was computed from.</summary>
/// <param name="Cycle">Control-loop cycle index.</param>
/// <param name="MasterSequence">Sequence number of the master pose sample used (0 when none).</param>
/// <param name="MasterSentTicks">Stopwatch ticks at which the master sent that sample (0 when none).</param>
public readonly record struct CommandStamp(long Cycle, long MasterSequence, long MasterSentTicks);
