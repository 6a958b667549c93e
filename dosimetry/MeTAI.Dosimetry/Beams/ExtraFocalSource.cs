namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The extra-focal (head-scatter) photon source of the virtual source model: a Gaussian of FWHM
/// <see cref="FwhmMm"/> in the flattening-filter plane, <see cref="DistanceFromTargetMm"/> below the target, whose
/// photons have the primary spectrum with every energy scaled by <see cref="EnergyScale"/>. <see cref="Weight"/> is its
/// photon fluence on the axis at the isocentre relative to the primary's when nothing collimates it; the collimator
/// hides part of it from a point in a small field, so the collimator-scatter factor Sc rises with field size.
/// </summary>
public sealed record ExtraFocalSource
{
    /// <summary>On-axis fluence relative to the primary for an uncollimated beam (0: no extra-focal source).</summary>
    public double Weight { get; init; }

    /// <summary>Distance of the source plane below the target, mm.</summary>
    public double DistanceFromTargetMm { get; init; } = 130;

    /// <summary>Gaussian FWHM in the source plane, mm (the same along X and Y).</summary>
    public double FwhmMm { get; init; } = 30;

    /// <summary>Scale of the primary spectrum's energies (head-scattered photons are softer), 0–1.</summary>
    public double EnergyScale { get; init; } = 1;
}
