namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// One beam to simulate: the source (spectrum, particle, point or parallel), the aperture in the isocentre plane, the
/// IEC 61217 geometry, and the monitor units with the calibration that turns histories into MU.
/// </summary>
public sealed record BeamSetup
{
    /// <summary>Energy spectrum of the source particles.</summary>
    public required EnergySpectrum Spectrum { get; init; }

    /// <summary>Open rectangles (jaws, MLC, fluence map) in the isocentre plane.</summary>
    public required Aperture Aperture { get; init; }

    /// <summary>Gantry/collimator/couch, isocentre and SAD.</summary>
    public required BeamGeometry Geometry { get; init; }

    /// <summary>Photons or electrons.</summary>
    public ParticleKind Particle { get; init; } = ParticleKind.Photon;

    /// <summary>Parallel beam along the central axis instead of a point source (validation beams).</summary>
    public bool Parallel { get; init; }

    /// <summary>Monitor units delivered (scales the dose when <see cref="FluencePerMuPerCm2"/> is known).</summary>
    public double MonitorUnits { get; init; } = 1.0;

    /// <summary>
    /// The beam model's calibration: source particles per cm² of the isocentre plane (on the axis, weight 1) per MU, or
    /// null when the beam has none (the dose is then reported in Gy per history).
    /// </summary>
    public double? FluencePerMuPerCm2 { get; init; }

    /// <summary>
    /// Effective open area of the aperture in cm² at the isocentre plane: Σ weight · ∫ cos³θ dA for a point source
    /// (particles per unit area fall off as cos³θ), Σ weight · area for a parallel beam. Histories per MU =
    /// <see cref="FluencePerMuPerCm2"/> × this.
    /// </summary>
    public double EffectiveAreaCm2()
    {
        double sum = 0;
        double sad = Geometry.SadMm;
        foreach (ApertureRect r in Aperture.Rectangles)
        {
            if (Parallel)
            {
                sum += r.Weight * r.AreaMm2 / 100.0;
                continue;
            }

            const int n = 24;
            double dx = (r.X1Mm - r.X0Mm) / n, dy = (r.Y1Mm - r.Y0Mm) / n, acc = 0;
            for (int j = 0; j < n; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    double x = r.X0Mm + (i + 0.5) * dx, y = r.Y0Mm + (j + 0.5) * dy;
                    double c = sad / Math.Sqrt(sad * sad + x * x + y * y);
                    acc += c * c * c;
                }
            }

            sum += r.Weight * acc * dx * dy / 100.0;
        }

        return sum;
    }

    /// <summary>Histories that deliver one MU, or null without a calibration.</summary>
    public double? HistoriesPerMu => FluencePerMuPerCm2 is double f ? f * EffectiveAreaCm2() : null;
}
