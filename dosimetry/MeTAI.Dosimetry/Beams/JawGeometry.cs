namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The jaws of the head: the Y jaws (upper) and X jaws (lower) at their mid-plane distances below the target, and
/// the fraction of photons that pass through a jaw (attenuation only; scatter in the jaw is not modelled).
/// </summary>
public sealed record JawGeometry
{
    /// <summary>Mid-plane of the Y jaws below the target, mm.</summary>
    public double YPlaneDistanceMm { get; init; } = 318;

    /// <summary>Mid-plane of the X jaws below the target, mm.</summary>
    public double XPlaneDistanceMm { get; init; } = 406;

    /// <summary>Photon transmission through a jaw (0–0.05).</summary>
    public double Transmission { get; init; } = 0.004;

    /// <summary>
    /// Width (mm at the isocentre plane) of the band around the jaw opening inside which photons through the jaws are
    /// simulated; beyond it the head is taken as opaque (its leakage, ≲ 0.1 % of the axis dose, is not modelled).
    /// </summary>
    public double TransmissionBandMm { get; init; } = 30;
}
