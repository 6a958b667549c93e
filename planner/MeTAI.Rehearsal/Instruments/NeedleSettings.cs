namespace MeTAI.Rehearsal.Instruments;

/// <summary>A rigid straight needle and how it couples to tissue.</summary>
public sealed record NeedleSettings
{
    /// <summary>Shaft length from tip to hub in mm (torques are reported about the hub).</summary>
    public double ShaftLengthMm { get; init; } = 200;

    /// <summary>Outer radius in mm (18 G ≈ 0.64 mm); clearances are measured from the shaft surface.</summary>
    public double RadiusMm { get; init; } = 0.64;

    /// <summary>How far behind a boundary face the tip may already be, at detection, and still count as touching it (mm).
    /// Covers tissue that moved onto the tip within one substep.</summary>
    public double DetectionToleranceMm { get; init; } = 0.5;

    /// <summary>Skin faces within this distance of the planned path are tested for first contact (mm).</summary>
    public double SkinSearchRadiusMm { get; init; } = 40;

    /// <summary>
    /// Largest lateral force one shaft anchor can exert, N: beyond it the shaft slices sideways through the tissue
    /// (typical value). Keeps forces bounded where the tissue is held (bone, couch).
    /// </summary>
    public double LateralForceLimitN { get; init; } = 2;

    /// <summary>Largest force the tip can exert on fixed tissue (bone) before it is reported blocked, N.</summary>
    public double FixedTissueForceLimitN { get; init; } = 20;

    /// <summary>Most tissue anchors along the shaft (one per tet face the tip crosses).</summary>
    public int MaxAnchors { get; init; } = 2048;

    /// <summary>Most puncture events recorded.</summary>
    public int MaxPunctures { get; init; } = 64;

    /// <summary>Checks ranges.</summary>
    public void Validate()
    {
        if (!(ShaftLengthMm > 0) || !(RadiusMm >= 0) || !(DetectionToleranceMm >= 0) || !(SkinSearchRadiusMm > 0)
            || !double.IsFinite(ShaftLengthMm + RadiusMm + DetectionToleranceMm + SkinSearchRadiusMm))
        {
            throw new ArgumentException("Needle lengths must be positive and finite.");
        }

        if (!(LateralForceLimitN > 0) || !(FixedTissueForceLimitN > 0) || !double.IsFinite(LateralForceLimitN + FixedTissueForceLimitN))
        {
            throw new ArgumentException("Needle force limits must be positive and finite.");
        }

        if (MaxAnchors < 1 || MaxPunctures < 1)
        {
            throw new ArgumentException("Needle capacities must be at least 1.");
        }
    }
}
