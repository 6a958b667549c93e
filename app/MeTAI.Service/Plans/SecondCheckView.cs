using MeTAI.Service.Jobs;

namespace MeTAI.Service.Plans;

/// <summary>A plan's second check as the API shows it: the job (status, progress, phase) and, once done, its figures.</summary>
public sealed record SecondCheckView
{
    /// <summary>The check's job id.</summary>
    public required string Id { get; init; }

    /// <summary>The plan checked.</summary>
    public required string PlanId { get; init; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Progress from 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>What it is doing.</summary>
    public string? Phase { get; init; }

    /// <summary>Who asked for it.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>Monte Carlo histories asked for (all beams together).</summary>
    public long? Histories { get; init; }

    /// <summary>Random seed of the recompute.</summary>
    public ulong Seed { get; init; }

    /// <summary>When requested (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>When it finished (UTC).</summary>
    public DateTime? FinishedUtc { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The figures (gamma pass rate, criteria, maximum dose difference, pass or fail) once it succeeded.</summary>
    public SecondCheckOutcome? Result { get; init; }

    /// <summary>Downloads of its files, by kind, once it succeeded.</summary>
    public IReadOnlyDictionary<string, string>? Links { get; init; }
}
