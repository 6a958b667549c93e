namespace MeTAI.Service.Jobs;

/// <summary>Where a plan job is in its life: queued → running → succeeded | failed | cancelled.</summary>
public enum JobStatus
{
    /// <summary>Waiting for a worker (kept across restarts and run when the service is back).</summary>
    Queued,

    /// <summary>A worker is running it.</summary>
    Running,

    /// <summary>Finished; its files and goals are stored.</summary>
    Succeeded,

    /// <summary>Stopped by an error, or interrupted by a restart; <see cref="JobRecord.Error"/> says why.</summary>
    Failed,

    /// <summary>Cancelled on request.</summary>
    Cancelled,
}
