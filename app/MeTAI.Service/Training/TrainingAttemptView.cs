using MeTAI.Robotics.Training;

namespace MeTAI.Service.Training;

/// <summary>
/// A training attempt as the API shows it: <c>running</c> (elapsed time and samples so far) or <c>finished</c> (its
/// score), with the task's target and vessel in the robot base frame (m) for the page to draw.
/// </summary>
public sealed record TrainingAttemptView
{
    /// <summary>Status of a running attempt.</summary>
    public const string Running = "running";

    /// <summary>Status of a finished (scored) attempt.</summary>
    public const string Finished = "finished";

    /// <summary>Attempt id.</summary>
    public required string Id { get; init; }

    /// <summary>Training task id.</summary>
    public required string Task { get; init; }

    /// <summary>Who makes (made) it.</summary>
    public required string User { get; init; }

    /// <summary><see cref="Running"/> or <see cref="Finished"/>.</summary>
    public required string Status { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedUtc { get; init; }

    /// <summary>When it was scored (finished attempts).</summary>
    public DateTimeOffset? FinishedUtc { get; init; }

    /// <summary>What ended it (finished attempts): finish, timeLimit or serviceStopping.</summary>
    public string? EndedBy { get; init; }

    /// <summary>Seconds since the start (running), or from start to finish.</summary>
    public double ElapsedS { get; init; }

    /// <summary>The task's time limit (s): the attempt is finished then.</summary>
    public double TimeLimitS { get; init; }

    /// <summary>Samples recorded so far (100 Hz).</summary>
    public int Samples { get; init; }

    /// <summary>Target and vessel in the robot base frame (null for a stored attempt whose task is no longer configured).</summary>
    public TrainingGeometry? Geometry { get; init; }

    /// <summary>The score (finished attempts).</summary>
    public TrainingScore? Score { get; init; }

    /// <summary>The view of a finished attempt; <paramref name="task"/> (its configured task, if still there) gives the geometry.</summary>
    public static TrainingAttemptView Of(TrainingAttemptRecord attempt, TrainingTask? task)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        TrainingGeometry? geometry = task is not null && attempt.HomeTipM.Length == 3
            ? TrainingGeometry.Of(task.PlacedAt(new MeTAI.Core.Geometry.Vec3(attempt.HomeTipM[0], attempt.HomeTipM[1], attempt.HomeTipM[2])))
            : null;
        return new TrainingAttemptView
        {
            Id = attempt.Id,
            Task = attempt.Task,
            User = attempt.User,
            Status = Finished,
            StartedUtc = attempt.StartedUtc,
            FinishedUtc = attempt.FinishedUtc,
            EndedBy = attempt.EndedBy,
            ElapsedS = (attempt.FinishedUtc - attempt.StartedUtc).TotalSeconds,
            TimeLimitS = task?.TimeLimitS ?? 0,
            Samples = attempt.Score.Samples,
            Geometry = geometry,
            Score = attempt.Score,
        };
    }
}
