namespace MeTAI.Robotics.Audit;

/// <summary>Takes audit events without blocking the caller (the control loop).</summary>
public interface IAuditSink
{
    /// <summary>Queues an event.</summary>
    void Write(AuditEvent auditEvent);
}
