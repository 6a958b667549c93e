namespace MeTAI.Robotics.Audit;

/// <summary>One audit record before it is chained and written (see <see cref="AuditLog"/>).</summary>
/// <param name="Kind">transition, refused, interlockRaised, interlockCleared, command, start, close …</param>
/// <param name="Cycle">Control-loop cycle (−1 outside the loop).</param>
/// <param name="MonotonicTicks">Stopwatch ticks when it happened.</param>
/// <param name="Fields">Further name/value pairs, written in order as JSON strings.</param>
public sealed record AuditEvent(string Kind, long Cycle, long MonotonicTicks, IReadOnlyList<KeyValuePair<string, string>> Fields);
