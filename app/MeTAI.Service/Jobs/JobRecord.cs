namespace MeTAI.Service.Jobs;

/// <summary>One row of the job store.</summary>
public sealed record JobRecord
{
    /// <summary>Job id (32 hex digits, time-ordered).</summary>
    public required string Id { get; init; }

    /// <summary>Status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Progress from 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>What the runner is doing (short text), or null.</summary>
    public string? Phase { get; init; }

    /// <summary>When it was submitted (UTC).</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>When a worker started it (UTC).</summary>
    public DateTime? StartedUtc { get; init; }

    /// <summary>When it finished, failed or was cancelled (UTC).</summary>
    public DateTime? FinishedUtc { get; init; }

    /// <summary>The request as JSON (<see cref="Plans.PlanJobRequest"/>).</summary>
    public required string RequestJson { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The runner that ran it.</summary>
    public string? Runner { get; init; }

    /// <summary>Result as JSON (<see cref="Plans.PlanOutcome"/>) once succeeded.</summary>
    public string? ResultJson { get; init; }

    /// <summary>True for queued and running jobs.</summary>
    public bool IsActive => Status is JobStatus.Queued or JobStatus.Running;
}
