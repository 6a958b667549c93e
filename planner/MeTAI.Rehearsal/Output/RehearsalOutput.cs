using MeTAI.Core.IO;
using MeTAI.Core.Trajectories;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Search;

namespace MeTAI.Rehearsal.Output;

/// <summary>Writes every rehearsal file into one directory.</summary>
public static class RehearsalOutput
{
    /// <summary>File names written by <see cref="Write"/>.</summary>
    public static readonly IReadOnlyList<string> Files = ["trajectories.json", "corridor.json", "trajectory.json", "rehearsal.png", "summary.json"];

    /// <summary>Writes trajectories.json, corridor.json, trajectory.json, rehearsal.png and summary.json (each atomically).</summary>
    public static void Write(RehearsalPlan plan, PatientAvatar avatar, string directory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, "trajectories.json"), RehearsalJson.Trajectories(plan, avatar));
        CorridorJson.Save(plan.Corridor, Path.Combine(directory, "corridor.json"));
        TrajectoryJson.Save(plan.Trajectory, Path.Combine(directory, "trajectory.json"));
        string png = Path.Combine(directory, "rehearsal.png");
        AtomicFile.WriteVia(png, temp => RehearsalPlot.Save(plan, avatar, temp));

        AtomicFile.WriteAllText(Path.Combine(directory, "summary.json"), RehearsalJson.Summary(plan, avatar, Files));
    }
}
