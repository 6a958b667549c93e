using System.Collections.Concurrent;
using MeTAI.Robotics.Audit;

namespace MeTAI.Hil.Runner;

/// <summary>
/// Keeps every audit event of the controller in memory as it is written (the controller's audit tap), and the latest
/// event of each kind for devices that react to what the controller said (the treatment console reads a refused move).
/// </summary>
public sealed class AuditRecorder : IAuditSink
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();
    private readonly ConcurrentDictionary<string, AuditEvent> _latest = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        _events.Enqueue(auditEvent);
        _latest[auditEvent.Kind] = auditEvent;
    }

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

    /// <summary>The latest event of <paramref name="kind"/> (draining does not forget it), if any.</summary>
    public AuditEvent? Latest(string kind) => _latest.GetValueOrDefault(kind);
}
