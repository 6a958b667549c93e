using MeTAI.Service.Jobs;

namespace MeTAI.Service.Plans;

/// <summary>A plan job as <c>GET /api/plans/{id}</c> returns it.</summary>
public sealed record PlanView
{
    /// <summary>Job id.</summary>
    public required string Id { get; init; }

    /// <summary>queued, running, succeeded, failed or cancelled.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>0–1.</summary>
    public required double Progress { get; init; }

    /// <summary>draft, reviewed or approved (a succeeded plan's review; draft for every other plan).</summary>
    public string Approval { get; init; } = "draft";

    /// <summary>The review (who reviewed and approved, when), once there is one.</summary>
    public PlanReview? Review { get; init; }

    /// <summary>What is running.</summary>
    public string? Phase { get; init; }

    /// <summary>Submitted (UTC).</summary>
    public required DateTime CreatedUtc { get; init; }

    /// <summary>Started (UTC).</summary>
    public DateTime? StartedUtc { get; init; }

    /// <summary>Finished (UTC).</summary>
    public DateTime? FinishedUtc { get; init; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Error { get; init; }

    /// <summary>Runner that ran it.</summary>
    public string? Runner { get; init; }

    /// <summary>Case name.</summary>
    public required string Case { get; init; }

    /// <summary>Upload id for uploaded cases.</summary>
    public string? UploadId { get; init; }

    /// <summary>Protocol.</summary>
    public required string Protocol { get; init; }

    /// <summary>Beams asked for (null: the protocol's).</summary>
    public int? Beams { get; init; }

    /// <summary>Goals once succeeded.</summary>
    public IReadOnlyList<GoalOutcome>? Goals { get; init; }

    /// <summary>True when every goal passed (once succeeded).</summary>
    public bool? AllGoalsPassed { get; init; }

    /// <summary>Prescription dose, Gy (once succeeded).</summary>
    public double? PrescriptionGy { get; init; }

    /// <summary>Prescription target (once succeeded).</summary>
    public string? Target { get; init; }

    /// <summary>How the dose was made (once succeeded).</summary>
    public string? Summary { get; init; }

    /// <summary>Links: dvh, slices and one per file (once succeeded).</summary>
    public IReadOnlyDictionary<string, string>? Links { get; init; }
}
