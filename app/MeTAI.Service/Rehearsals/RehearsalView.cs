using MeTAI.Service.Jobs;

namespace MeTAI.Service.Rehearsals;

/// <summary>A rehearsal job as <c>/api/rehearsals</c> shows it.</summary>
public sealed record RehearsalView
{
    /// <summary>Job id.</summary>
    public required string Id { get; init; }

    /// <summary>Status.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>Progress from 0 to 1.</summary>
    public double Progress { get; init; }

    /// <summary>What it is doing.</summary>
    public string? Phase { get; init; }

    /// <summary>Case name (phantom or upload label).</summary>
    public required string CaseName { get; init; }

    /// <summary>Upload id for an uploaded case.</summary>
    public string? UploadId { get; init; }

    /// <summary>The plan whose isodoses the scene shows, or null.</summary>
    public string? PlanId { get; init; }

    /// <summary>Target ROI.</summary>
    public required string Target { get; init; }

    /// <summary>ROIs avoided.</summary>
    public required IReadOnlyList<string> Avoid { get; init; }

    /// <summary>Entries simulated.</summary>
    public int Candidates { get; init; }

    /// <summary>Who started it.</summary>
    public string? SubmittedBy { get; init; }

    /// <summary>Submitted (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>Started (UTC).</summary>
    public DateTime? StartedUtc { get; init; }

    /// <summary>Finished (UTC).</summary>
    public DateTime? FinishedUtc { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>The outcome once succeeded.</summary>
    public RehearsalOutcome? Result { get; init; }

    /// <summary>The scene and file downloads once succeeded.</summary>
    public IReadOnlyDictionary<string, string>? Links { get; init; }
}
