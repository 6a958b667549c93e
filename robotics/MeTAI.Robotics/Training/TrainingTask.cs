using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Training;

/// <summary>
/// A training task of the surgeon's workspace (<c>configs/training/*.json</c>, read by <see cref="TrainingTaskJson"/>):
/// reach a target from the arm's home tool tip, through the corridor, without touching a vessel, within a time limit.
/// Positions are given relative to the home tool tip in millimetres along the robot base frame's axes; the service
/// places a task at the simulated arm's home tip (<see cref="PlacedAt"/>) before scoring, so that
/// <see cref="TargetM"/> and <see cref="VesselM"/> are in the base frame in metres, like the samples.
/// </summary>
public sealed record TrainingTask
{
    /// <summary>Identifier used in the API and the scores (lower-case letters, digits and '-').</summary>
    public required string Id { get; init; }

    /// <summary>Name shown to the trainee.</summary>
    public required string Name { get; init; }

    /// <summary>What to do, in a sentence or two.</summary>
    public string Description { get; init; } = "";

    /// <summary>Target, relative to the home tool tip (robot base frame axes, mm).</summary>
    public required Vec3 TargetMm { get; init; }

    /// <summary>The tip counts as at the target within this distance of it (mm).</summary>
    public required double ToleranceMm { get; init; }

    /// <summary>The vessel to avoid, relative to the home tool tip (robot base frame axes, mm).</summary>
    public required TrainingCapsule VesselMm { get; init; }

    /// <summary>Time limit (s): the service finishes an attempt still running then.</summary>
    public required double TimeLimitS { get; init; }

    /// <summary>The home tool tip in the robot base frame (m); zero until <see cref="PlacedAt"/>.</summary>
    public Vec3 OriginM { get; init; }

    /// <summary>The target in the robot base frame (m).</summary>
    public Vec3 TargetM => OriginM + TargetMm / 1000;

    /// <summary>The vessel in the robot base frame (m).</summary>
    public TrainingCapsule VesselM => VesselMm.Placed(OriginM, 1.0 / 1000);

    /// <summary>This task with its positions relative to <paramref name="homeTipM"/> (the arm's home tool tip, base frame, m).</summary>
    public TrainingTask PlacedAt(Vec3 homeTipM) => this with { OriginM = homeTipM };
}
