using MeTAI.Robotics.Training;

namespace MeTAI.Service.Training;

/// <summary>Where a placed training task's target and vessel are, in the robot base frame (m), for the page to draw.</summary>
public sealed record TrainingGeometry
{
    /// <summary>The simulated arm's home tool tip, where an attempt starts ([x, y, z], m).</summary>
    public required double[] HomeTipM { get; init; }

    /// <summary>The target ([x, y, z], m).</summary>
    public required double[] TargetM { get; init; }

    /// <summary>The target's tolerance (m).</summary>
    public required double ToleranceM { get; init; }

    /// <summary>One end of the vessel's centre segment ([x, y, z], m).</summary>
    public required double[] VesselAM { get; init; }

    /// <summary>The other end of the vessel's centre segment ([x, y, z], m).</summary>
    public required double[] VesselBM { get; init; }

    /// <summary>The vessel's radius (m).</summary>
    public required double VesselRadiusM { get; init; }

    /// <summary>The geometry of a task placed at the home tip (<see cref="TrainingTask.PlacedAt"/>).</summary>
    public static TrainingGeometry Of(TrainingTask placed)
    {
        ArgumentNullException.ThrowIfNull(placed);
        TrainingCapsule vessel = placed.VesselM;
        return new TrainingGeometry
        {
            HomeTipM = placed.OriginM.ToArray(),
            TargetM = placed.TargetM.ToArray(),
            ToleranceM = placed.ToleranceMm / 1000,
            VesselAM = vessel.A.ToArray(),
            VesselBM = vessel.B.ToArray(),
            VesselRadiusM = vessel.Radius,
        };
    }
}
