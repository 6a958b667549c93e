namespace MeTAI.Robotics.Radiotherapy;

/// <summary>The linac's last status as the controller received it.</summary>
/// <param name="On">Beam on.</param>
/// <param name="Beam">Beam the linac requests (is ready to deliver or delivering); 0: none.</param>
/// <param name="GateSequence">Sequence number of the last beam-gate message the linac acted on.</param>
/// <param name="ReceivedTicks">Stopwatch ticks when it arrived (0: never).</param>
public readonly record struct LinacReading(bool On, int Beam, long GateSequence, long ReceivedTicks);
