using MeTAI.Robotics.Training;

namespace MeTAI.Service.Training;

/// <summary>A training task as <c>GET /api/training/tasks</c> lists it (positions relative to the home tool tip, mm).</summary>
public sealed record TrainingTaskView
{
    /// <summary>Task id (what <c>POST /api/training/attempts</c> takes).</summary>
    public required string Id { get; init; }

    /// <summary>Name.</summary>
    public required string Name { get; init; }

    /// <summary>What to do.</summary>
    public required string Description { get; init; }

    /// <summary>Target relative to the home tool tip ([x, y, z], robot base frame axes, mm).</summary>
    public required double[] TargetMm { get; init; }

    /// <summary>Target tolerance (mm).</summary>
    public required double ToleranceMm { get; init; }

    /// <summary>Vessel centre segment, one end ([x, y, z] relative to the home tip, mm).</summary>
    public required double[] VesselAMm { get; init; }

    /// <summary>Vessel centre segment, other end ([x, y, z] relative to the home tip, mm).</summary>
    public required double[] VesselBMm { get; init; }

    /// <summary>Vessel radius (mm).</summary>
    public required double VesselRadiusMm { get; init; }

    /// <summary>Time limit (s).</summary>
    public required double TimeLimitS { get; init; }

    /// <summary>The view of <paramref name="task"/>.</summary>
    public static TrainingTaskView Of(TrainingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TrainingTaskView
        {
            Id = task.Id,
            Name = task.Name,
            Description = task.Description,
            TargetMm = task.TargetMm.ToArray(),
            ToleranceMm = task.ToleranceMm,
            VesselAMm = task.VesselMm.A.ToArray(),
            VesselBMm = task.VesselMm.B.ToArray(),
            VesselRadiusMm = task.VesselMm.Radius,
            TimeLimitS = task.TimeLimitS,
        };
    }
}
