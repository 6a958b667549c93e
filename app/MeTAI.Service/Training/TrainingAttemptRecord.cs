using MeTAI.Robotics.Training;

namespace MeTAI.Service.Training;

/// <summary>A finished training attempt as stored in the user's scores file (<see cref="TrainingScoreStore"/>).</summary>
public sealed record TrainingAttemptRecord
{
    /// <summary>Attempt id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Training task id.</summary>
    public string Task { get; init; } = "";

    /// <summary>Who made the attempt.</summary>
    public string User { get; init; } = "";

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedUtc { get; init; }

    /// <summary>When it was scored.</summary>
    public DateTimeOffset FinishedUtc { get; init; }

    /// <summary>What ended it: <c>finish</c> (the trainee), <c>timeLimit</c> (the task's limit) or <c>serviceStopping</c>.</summary>
    public string EndedBy { get; init; } = "";

    /// <summary>The simulated arm's home tool tip the task was placed at (robot base frame, m; [x, y, z]).</summary>
    public double[] HomeTipM { get; init; } = [];

    /// <summary>The score.</summary>
    public TrainingScore Score { get; init; } = new();
}
