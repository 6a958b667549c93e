namespace MeTAI.Robotics.Audit;

/// <summary>Hands every event to two sinks (the hash-chained log and an in-process observer such as a HIL recorder).</summary>
internal sealed class TeeAuditSink(IAuditSink first, IAuditSink second) : IAuditSink
{
    public void Write(AuditEvent auditEvent)
    {
        first.Write(auditEvent);
        second.Write(auditEvent);
    }
}
