namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The electron-contamination source of the virtual source model: electrons from a Gaussian of FWHM
/// <see cref="FwhmMm"/> in a plane <see cref="DistanceFromTargetMm"/> below the target, with a truncated exponential
/// energy spectrum (mean <see cref="MeanEnergyMeV"/>, cut at <see cref="MaxEnergyMeV"/>). Their on-axis fluence relative
/// to the primary photons' for an uncollimated beam is <see cref="Weight"/> × (s / 100 mm)^<see cref="FieldSizeExponent"/>,
/// s the equivalent square of the jaw field at the isocentre; they shape the build-up region.
/// </summary>
public sealed record ElectronContaminationSource
{
    /// <summary>Relative on-axis electron fluence for a 10 × 10 cm² field (0: no contamination).</summary>
    public double Weight { get; init; }

    /// <summary>Distance of the source plane below the target, mm.</summary>
    public double DistanceFromTargetMm { get; init; } = 150;

    /// <summary>Gaussian FWHM in the source plane, mm.</summary>
    public double FwhmMm { get; init; } = 80;

    /// <summary>Mean of the exponential energy spectrum, MeV.</summary>
    public double MeanEnergyMeV { get; init; } = 1.5;

    /// <summary>Highest electron energy, MeV.</summary>
    public double MaxEnergyMeV { get; init; } = 6;

    /// <summary>Exponent of the field-size dependence of the weight (negative: weight falls with field size).</summary>
    public double FieldSizeExponent { get; init; }

    /// <summary>The weight for an equivalent-square field of <paramref name="equivalentSquareMm"/>.</summary>
    public double WeightFor(double equivalentSquareMm) =>
        Weight <= 0 ? 0 : Weight * Math.Pow(Math.Max(equivalentSquareMm, 1) / 100.0, FieldSizeExponent);
}
