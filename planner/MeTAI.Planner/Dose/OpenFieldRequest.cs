using MeTAI.Dosimetry.Engines;

namespace MeTAI.Planner.Dose;

/// <summary>An open-field Monte Carlo calculation on a built-in dose phantom (<see cref="OpenFieldRun"/>).</summary>
/// <param name="Phantom">Phantom: water, slab-lung or slab-bone.</param>
/// <param name="FieldXCm">Field width at the isocentre, cm.</param>
/// <param name="FieldYCm">Field height at the isocentre, cm.</param>
/// <param name="SsdCm">Source-to-surface distance, cm.</param>
/// <param name="Beam">Beam model (6MV).</param>
/// <param name="Histories">Source photons to simulate (without a target uncertainty).</param>
/// <param name="VoxelMm">Phantom voxel size, mm.</param>
/// <param name="Device">Monte Carlo device.</param>
/// <param name="Seed">Random seed.</param>
/// <param name="MonitorUnits">MU of the field (dose in Gy for this many MU).</param>
/// <param name="DoseToWater">Report dose to water instead of dose to medium.</param>
/// <param name="OutDir">Output directory.</param>
public sealed record OpenFieldRequest(string Phantom, double FieldXCm, double FieldYCm, double SsdCm, string Beam, long Histories,
    double VoxelMm, DeviceKind Device, ulong Seed, double MonitorUnits, bool DoseToWater, string OutDir)
{
    /// <summary>Run to this mean relative σ, % (null: <see cref="Histories"/> histories); see <see cref="Dosimetry.Analysis.UncertaintyTarget"/>.</summary>
    public double? UncertaintyPercent { get; init; }

    /// <summary>The ROI whose voxels the σ target is taken over (null: the voxels above 50 % of the maximum dose).</summary>
    public string? UncertaintyRoi { get; init; }

    /// <summary>The history cap of a run to a target uncertainty.</summary>
    public long MaxHistories { get; init; } = 2_000_000_000;
}
