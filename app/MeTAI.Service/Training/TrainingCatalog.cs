using MeTAI.Core.IO;
using MeTAI.Robotics.Training;

namespace MeTAI.Service.Training;

/// <summary>
/// The training tasks of <c>configs/training/*.json</c> (<see cref="TrainingTaskJson"/>), read once at start. A bad or
/// missing folder does not stop the service: <see cref="Error"/> says why, and the training endpoints answer 503 with it.
/// </summary>
public sealed class TrainingCatalog
{
    /// <summary>Reads the tasks of the project's <c>configs/training</c> folder (<see cref="ConfigFiles"/>).</summary>
    public TrainingCatalog()
        : this(DefaultDirectory())
    {
    }

    /// <summary>Reads the tasks of <paramref name="directory"/> (null: no configs folder was found).</summary>
    public TrainingCatalog(string? directory)
    {
        if (directory is null)
        {
            Error = "No training tasks: no configs/ folder was found (set METAI_HOME to the installation's root).";
            return;
        }

        if (!System.IO.Directory.Exists(directory))
        {
            Error = $"No training tasks: {directory} does not exist.";
            return;
        }

        try
        {
            Tasks = TrainingTaskJson.LoadAll(directory);
            Error = Tasks.Count == 0 ? $"No training tasks in {directory}." : null;
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            Error = $"The training tasks cannot be read: {ex.Message}";
        }
    }

    /// <summary>The tasks, in file-name order (none when <see cref="Error"/> is set).</summary>
    public IReadOnlyList<TrainingTask> Tasks { get; } = [];

    /// <summary>Why there are no tasks, or null.</summary>
    public string? Error { get; }

    /// <summary>The task with id <paramref name="id"/>, or null.</summary>
    public TrainingTask? Find(string? id)
    {
        foreach (TrainingTask task in Tasks)
        {
            if (string.Equals(task.Id, id, StringComparison.Ordinal))
            {
                return task;
            }
        }

        return null;
    }

    private static string? DefaultDirectory() => ConfigFiles.TryDirectory() is { } configs ? Path.Combine(configs, TrainingTaskJson.Folder) : null;
}
