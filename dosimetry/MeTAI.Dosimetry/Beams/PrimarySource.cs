namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The focal (target) source of the virtual source model (docs/beam-model.md): a Gaussian spot in the target plane
/// with its FWHM per axis, the photon fluence off axis relative to the axis (the flattening filter's horns, as a table
/// over the radius at the isocentre plane) and the off-axis softening of the spectrum (each photon's energy scaled by
/// 1 − <see cref="OffAxisSofteningPerCm"/> · r, r in cm at the isocentre plane).
/// </summary>
public sealed record PrimarySource
{
    /// <summary>Spot FWHM along the beam-limiting-device X axis, mm (0: a point).</summary>
    public double SpotFwhmXMm { get; init; }

    /// <summary>Spot FWHM along the beam-limiting-device Y axis, mm (0: a point).</summary>
    public double SpotFwhmYMm { get; init; }

    /// <summary>Fractional energy loss per cm off axis at the isocentre plane (0: the same spectrum everywhere).</summary>
    public double OffAxisSofteningPerCm { get; init; }

    /// <summary>Radii at the isocentre plane (mm, ascending, first 0) of <see cref="OffAxisRelativeFluence"/>.</summary>
    public IReadOnlyList<double> OffAxisRadiiMm { get; init; } = [0];

    /// <summary>Photon fluence per unit area at each radius relative to the axis (first 1; linear between, constant beyond).</summary>
    public IReadOnlyList<double> OffAxisRelativeFluence { get; init; } = [1];

    /// <summary>The point source: no spot, no horns, no softening.</summary>
    public static PrimarySource Point { get; } = new();

    /// <summary>Relative fluence at radius <paramref name="radiusMm"/> (isocentre plane).</summary>
    public double RelativeFluenceAt(double radiusMm)
    {
        IReadOnlyList<double> r = OffAxisRadiiMm, f = OffAxisRelativeFluence;
        if (radiusMm <= r[0])
        {
            return f[0];
        }

        for (int i = 1; i < r.Count; i++)
        {
            if (radiusMm <= r[i])
            {
                double t = (radiusMm - r[i - 1]) / (r[i] - r[i - 1]);
                return f[i - 1] + t * (f[i] - f[i - 1]);
            }
        }

        return f[^1];
    }
}
