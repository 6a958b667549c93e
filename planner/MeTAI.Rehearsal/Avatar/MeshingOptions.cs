namespace MeTAI.Rehearsal.Avatar;

/// <summary>Settings of <see cref="VoxelTetMesher"/>.</summary>
public sealed record MeshingOptions
{
    /// <summary>Lattice cell edge in mm: the mesh resolution (each body cell becomes 5 tets).</summary>
    public double CellMm { get; init; } = 12;

    /// <summary>Taubin smoothing passes over the boundary surface (each pass = one shrink + one inflate step); 0 keeps the voxel staircase.</summary>
    public int SmoothingIterations { get; init; } = 10;

    /// <summary>Taubin shrink factor λ (0 … 1).</summary>
    public double TaubinLambda { get; init; } = 0.5;

    /// <summary>Taubin inflate factor μ (negative, |μ| slightly above λ).</summary>
    public double TaubinMu { get; init; } = -0.53;

    /// <summary>
    /// Snap the skin nodes onto the body's isosurface and the nodes where two tissues meet onto the inner tissue's
    /// isosurface, then repair element quality (see <see cref="MeshQuality"/>). False (with no smoothing) keeps the
    /// lattice staircase.
    /// </summary>
    public bool SnapToSurfaces { get; init; } = true;

    /// <summary>How far a node may move when snapped, in cells (0 … 1).</summary>
    public double SnapRangeCells { get; init; } = 1;

    /// <summary>A cell joins the mesh when at least this fraction of its sample points is inside the body.</summary>
    public double OccupancyThreshold { get; init; } = 0.5;

    /// <summary>
    /// Labels (1 + tissue index) a tet only takes when at least 4 of its 5 sample points carry them, e.g. bone: thin
    /// ribs must not claim whole coarse tets (the avatar fixes the nodes inside bone instead).
    /// </summary>
    public IReadOnlyList<byte> StrictLabels { get; init; } = [];

    /// <summary>Checks ranges.</summary>
    public void Validate()
    {
        if (!(CellMm > 0) || !double.IsFinite(CellMm))
        {
            throw new ArgumentOutOfRangeException(nameof(CellMm), CellMm, "Cell size must be positive.");
        }

        if (SmoothingIterations < 0 || !(TaubinLambda > 0 && TaubinLambda < 1) || !(TaubinMu < 0 && TaubinMu > -1))
        {
            throw new ArgumentException("Smoothing needs iterations ≥ 0, 0 < λ < 1 and −1 < μ < 0.");
        }

        if (!(SnapRangeCells > 0 && SnapRangeCells <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(SnapRangeCells), SnapRangeCells, "Snap range must be in (0, 1] cells.");
        }

        if (!(OccupancyThreshold > 0 && OccupancyThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(OccupancyThreshold), OccupancyThreshold, "Occupancy threshold must be in (0, 1].");
        }
    }
}
