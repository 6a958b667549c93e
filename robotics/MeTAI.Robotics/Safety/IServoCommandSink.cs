namespace MeTAI.Robotics.Safety;

/// <summary>
/// Where the <see cref="ServoCommandGate"/> writes: the servo IO (a preallocated slot the IO thread sends from) in
/// production, a recorder in tests. Only the gate holds a sink.
/// </summary>
public interface IServoCommandSink
{
    /// <summary>
    /// Goal positions in servo counts, one per joint. <paramref name="motion"/> is true for a motion command and false
    /// for a hold (the goal then equals the position captured when the hold began). <paramref name="stamp"/> says
    /// which master sample the goals came from (for latency measurement).
    /// </summary>
    void WriteGoals(ReadOnlySpan<int> goalCounts, bool motion, in CommandStamp stamp);

    /// <summary>Writes torque off on the bus now, from the calling thread, bypassing any queue.</summary>
    void TorqueOffNow();
}
