using System.Diagnostics;
using MeTAI.Robotics.Audit;

namespace MeTAI.Robotics.Control;

/// <summary>
/// The control core's audit records: each stamped with the loop's current cycle and the monotonic time of writing.
/// Only events allocate (a transition, a command, a refusal); the steady state writes nothing.
/// </summary>
internal sealed class ControlAudit(IAuditSink? sink)
{
    /// <summary>The cycle the loop is in (set at the start of every step).</summary>
    public long Cycle { get; set; }

    /// <summary>Writes one record of <paramref name="kind"/> with its fields in order (nothing without a sink).</summary>
    public void Write(string kind, params (string Name, string Value)[] fields)
    {
        if (sink is null)
        {
            return;
        }

        var list = new List<KeyValuePair<string, string>>(fields.Length);
        foreach ((string name, string value) in fields)
        {
            list.Add(new KeyValuePair<string, string>(name, value));
        }

        sink.Write(new AuditEvent(kind, Cycle, Stopwatch.GetTimestamp(), list));
    }
}
