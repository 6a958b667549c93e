using MeTAI.Dosimetry.MonteCarlo;

namespace MeTAI.Dosimetry.Water;

/// <summary>
/// The simulated tank: a water box whose surface is at the field's SSD, voxels of the given sizes (mm; odd counts
/// laterally so the central axis runs through voxel centres), wide enough for the divergent field at the tank's
/// depth plus <see cref="LateralMarginMm"/> on each side.
/// </summary>
public sealed record WaterTankOptions
{
    /// <summary>Voxel size along the crossline (X) axis, mm.</summary>
    public double CrosslineVoxelMm { get; init; } = 2;

    /// <summary>Voxel size along the inline (Y) axis, mm.</summary>
    public double InlineVoxelMm { get; init; } = 2;

    /// <summary>Voxel size along depth, mm.</summary>
    public double DepthVoxelMm { get; init; } = 2;

    /// <summary>Water depth, mm.</summary>
    public double TankDepthMm { get; init; } = 300;

    /// <summary>Water beyond the geometric field edge at the tank bottom on each side, mm.</summary>
    public double LateralMarginMm { get; init; } = 40;

    /// <summary>Transport physics.</summary>
    public PhysicsOptions Physics { get; init; } = new();

    /// <summary>Batches for the statistical uncertainty.</summary>
    public int Batches { get; init; } = 10;

    /// <summary>Checks the sizes.</summary>
    public void Validate()
    {
        if (!(CrosslineVoxelMm is > 0.2 and <= 20) || !(InlineVoxelMm is > 0.2 and <= 20) || !(DepthVoxelMm is > 0.2 and <= 20) || !(TankDepthMm is >= 20 and <= 600) || !(LateralMarginMm is >= 0 and <= 300) || Batches < 2)
        {
            throw new ArgumentException("Water tank options: voxels 0.2–20 mm, depth 20–600 mm, margin 0–300 mm, at least 2 batches.");
        }
    }
}
