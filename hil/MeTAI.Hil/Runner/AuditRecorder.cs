using System.Collections.Concurrent;
using MeTAI.Robotics.Audit;

namespace MeTAI.Hil.Runner;

/// <summary>Keeps every audit event of the controller in memory as it is written (the controller's audit tap).</summary>
public sealed class AuditRecorder : IAuditSink
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();

    /// <inheritdoc />
    public void Write(AuditEvent auditEvent) => _events.Enqueue(auditEvent);

    /// <summary>Takes the events recorded so far.</summary>
    public IReadOnlyList<AuditEvent> Drain()
    {
        var list = new List<AuditEvent>(_events.Count);
        while (_events.TryDequeue(out AuditEvent? e))
        {
            list.Add(e);
        }

        return list;
    }
}
