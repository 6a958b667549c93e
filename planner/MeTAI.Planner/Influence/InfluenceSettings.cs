namespace MeTAI.Planner.Influence;

/// <summary>How beamlet doses are computed and stored. Plain options with defaults, validated once.</summary>
public sealed record InfluenceSettings
{
    /// <summary>Monte Carlo histories per beamlet (5 × 5 mm); 10⁴ gives ≈ 5 % noise per beamlet on the axis at 5 mm voxels, which averages out over the hundreds of beamlets that reach a target voxel.</summary>
    public long HistoriesPerBeamlet { get; init; } = 10_000;

    /// <summary>
    /// Scale <see cref="HistoriesPerBeamlet"/> with the grid (<see cref="HistoriesFor"/>) so the matrix has the same
    /// relative noise at any voxel and beamlet size; false runs <see cref="HistoriesPerBeamlet"/> whatever the grid.
    /// </summary>
    public bool ScaleWithGrid { get; init; }

    /// <summary>The voxel volume <see cref="HistoriesPerBeamlet"/> is meant for when <see cref="ScaleWithGrid"/> (5 mm cubes), mm³.</summary>
    public const double ReferenceVoxelMm3 = 125;

    /// <summary>The beamlet area <see cref="HistoriesPerBeamlet"/> is meant for when <see cref="ScaleWithGrid"/> (5 × 5 mm), mm².</summary>
    public const double ReferenceBeamletMm2 = 25;

    /// <summary>
    /// Histories for a beamlet of <paramref name="beamletAreaMm2"/> (isocentre plane) on voxels of
    /// <paramref name="voxelVolumeMm3"/>. A voxel inside a beamlet's footprint sees the fraction a_voxel/A_beamlet of its
    /// histories over a path ∝ the voxel's depth, so the energy depositions it scores, and 1/σ², go as
    /// N·V_voxel/A_beamlet: equal noise needs N = N_ref · (A_beamlet/25 mm²) · (125 mm³/V_voxel). Coarser grids than the
    /// reference keep N_ref (their noise is lower); without <see cref="ScaleWithGrid"/>, N_ref.
    /// </summary>
    public long HistoriesFor(double beamletAreaMm2, double voxelVolumeMm3)
    {
        if (!ScaleWithGrid)
        {
            return HistoriesPerBeamlet;
        }

        double ratio = beamletAreaMm2 / ReferenceBeamletMm2 * (ReferenceVoxelMm3 / voxelVolumeMm3);
        return (long)Math.Ceiling(HistoriesPerBeamlet * Math.Max(1, ratio));
    }

    /// <summary>Entries below this fraction of the beamlet's maximum (over the matrix's voxels) are dropped.</summary>
    public double RelativeCutoff { get; init; } = 1e-3;

    /// <summary>Base random seed; beamlet j runs with seed + j.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Savitzky–Golay window along each beamlet's ray (<see cref="DepthSmoother"/>; 0: off).</summary>
    public int DepthSmoothingPoints { get; init; } = 9;

    /// <summary>
    /// Refuse to build when the estimated matrix (plus build buffers) exceeds this many bytes; 0 uses 80 % of the memory
    /// the runtime reports available.
    /// </summary>
    public long MaxMemoryBytes { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (HistoriesPerBeamlet < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(HistoriesPerBeamlet), HistoriesPerBeamlet, "Use at least 100 histories per beamlet.");
        }

        if (!(RelativeCutoff >= 0 && RelativeCutoff < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(RelativeCutoff), RelativeCutoff, "The relative cut-off must be in [0, 1).");
        }

        if (DepthSmoothingPoints != 0 && (DepthSmoothingPoints < 5 || DepthSmoothingPoints > 11 || DepthSmoothingPoints % 2 == 0))
        {
            throw new ArgumentOutOfRangeException(nameof(DepthSmoothingPoints), DepthSmoothingPoints, "Depth smoothing needs an odd window of 5–11 points, or 0 for none.");
        }

        if (MaxMemoryBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMemoryBytes), MaxMemoryBytes, "The memory limit must be non-negative.");
        }
    }
}
