namespace MeTAI.Dosimetry.Beams;

/// <summary>The collimation of a beam model: jaws and, optionally, an MLC (leaves moving along X).</summary>
public sealed record CollimatorGeometry
{
    /// <summary>The jaws.</summary>
    public required JawGeometry Jaws { get; init; }

    /// <summary>The MLC, or null for a jaws-only head.</summary>
    public MlcGeometry? Mlc { get; init; }

    /// <summary>The plane (mm below the target) where the kernel samples each ray: the topmost collimating device.</summary>
    public double SamplingPlaneMm => Math.Min(Jaws.YPlaneDistanceMm, Math.Min(Jaws.XPlaneDistanceMm, Mlc?.PlaneDistanceMm ?? double.MaxValue));
}
