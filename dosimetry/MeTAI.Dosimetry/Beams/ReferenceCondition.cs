namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The MU calibration's reference condition (docs/beam-model.md "Absolute dose"): <see cref="CGyPerMu"/> on the
/// central axis in water at <see cref="DepthMm"/> (null: at dmax) for a <see cref="FieldSizeMm"/> square jaw field,
/// with the water surface at SSD 1000 mm (<see cref="IsSad"/> false) or the reference point at the isocentre (SAD setup).
/// </summary>
public sealed record ReferenceCondition
{
    /// <summary>True for an isocentric (SAD) setup, false for SSD = SAD.</summary>
    public bool IsSad { get; init; }

    /// <summary>Reference depth, mm; null for dmax.</summary>
    public double? DepthMm { get; init; }

    /// <summary>Square field side at the isocentre, mm.</summary>
    public double FieldSizeMm { get; init; } = 100;

    /// <summary>Dose per MU at the reference point, cGy.</summary>
    public double CGyPerMu { get; init; } = 1.0;

    /// <summary>The default: 1 cGy/MU at dmax, 10 × 10 cm², SSD 100 cm.</summary>
    public static ReferenceCondition Default { get; } = new();

    /// <summary>Text for files and reports, e.g. "1 cGy/MU at dmax, 10 x 10 cm2, SSD 100 cm".</summary>
    public override string ToString() => FormattableString.Invariant(
        $"{CGyPerMu} cGy/MU at {(DepthMm is double d ? $"{d / 10} cm depth" : "dmax")}, {FieldSizeMm / 10} x {FieldSizeMm / 10} cm2, {(IsSad ? "SAD 100 cm (reference point at the isocentre)" : "SSD 100 cm")}");
}
