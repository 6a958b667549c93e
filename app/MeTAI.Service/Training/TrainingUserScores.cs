namespace MeTAI.Service.Training;

/// <summary>The contents of one user's scores file, <c>DATA/training/{user}.json</c>: every finished attempt, oldest first.</summary>
public sealed class TrainingUserScores
{
    /// <summary>The user.</summary>
    public string User { get; set; } = "";

    /// <summary>Finished attempts, oldest first.</summary>
    public List<TrainingAttemptRecord> Attempts { get; set; } = [];
}
