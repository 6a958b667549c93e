namespace MeTAI.Service.Training;

/// <summary>The body of <c>POST /api/training/attempts</c>.</summary>
public sealed record TrainingAttemptRequest
{
    /// <summary>The training task's id (<c>GET /api/training/tasks</c>), e.g. <c>reach-target</c>.</summary>
    public string? Task { get; init; }
}
