namespace MeTAI.Dosimetry.Beams;

/// <summary>
/// The MLC of a beam model (docs/beam-model.md "MLC"): leaf-pair boundaries at the isocentre plane (mm, as an RT
/// Plan's Leaf Position Boundaries (300A,00BE)), leaves travelling along X at <see cref="PlaneDistanceMm"/> below the
/// target, <see cref="LeafHeightMm"/> high along the beam, with rounded ends of radius <see cref="LeafEndRadiusMm"/>.
/// Photons are attenuated along the path length through the leaf material, with μ set so that the full leaf height
/// transmits <see cref="Transmission"/>; in a band <see cref="TongueAndGrooveWidthMm"/> wide (isocentre plane) on each
/// boundary between two pairs the path runs through half of each neighbour (tongue and groove) with the attenuation
/// scaled so that two closed neighbours transmit <see cref="InterleafTransmission"/> (interleaf leakage).
/// </summary>
public sealed record MlcGeometry
{
    /// <summary>Leaf-pair boundaries at the isocentre plane, mm, ascending (pairs + 1 values).</summary>
    public required IReadOnlyList<double> LeafBoundariesMm { get; init; }

    /// <summary>Mid-plane of the leaves below the target, mm.</summary>
    public double PlaneDistanceMm { get; init; } = 509;

    /// <summary>Leaf height along the beam, mm.</summary>
    public double LeafHeightMm { get; init; } = 67;

    /// <summary>Transmission through the full leaf height (closed-leaf transmission away from leaf sides and ends).</summary>
    public double Transmission { get; init; } = 0.015;

    /// <summary>Transmission between two closed neighbouring leaves (in the tongue-and-groove band).</summary>
    public double InterleafTransmission { get; init; } = 0.025;

    /// <summary>Width of the tongue-and-groove band at the isocentre plane, mm.</summary>
    public double TongueAndGrooveWidthMm { get; init; } = 1.0;

    /// <summary>Effective radius of the rounded leaf end, mm (in the leaf plane).</summary>
    public double LeafEndRadiusMm { get; init; } = 120;

    /// <summary>Number of leaf pairs.</summary>
    public int Pairs => LeafBoundariesMm.Count - 1;

    /// <summary>Attenuation coefficient of the leaf material, 1/mm (from the full-height transmission).</summary>
    public double AttenuationPerMm => -Math.Log(Transmission) / LeafHeightMm;

    /// <summary>The Varian Millennium-120 layout: 60 pairs, 10 × 10 mm, 40 × 5 mm, 10 × 10 mm (±200 mm).</summary>
    public static double[] Millennium120Boundaries()
    {
        var b = new List<double>();
        for (double y = -200; y < -100; y += 10)
        {
            b.Add(y);
        }

        for (double y = -100; y < 100; y += 5)
        {
            b.Add(y);
        }

        for (double y = 100; y <= 200; y += 10)
        {
            b.Add(y);
        }

        return [.. b];
    }

    /// <summary><paramref name="pairs"/> leaves of <paramref name="widthMm"/> centred on the axis (the planner's earlier layout: 80 × 5 mm).</summary>
    public static double[] UniformBoundaries(double widthMm, int pairs) =>
        [.. Enumerable.Range(0, pairs + 1).Select(i => (i - pairs / 2.0) * widthMm)];

    /// <summary>Path length (mm, leaf plane) through a rounded leaf end for a ray <paramref name="intoLeafMm"/> inside the tip (leaf plane).</summary>
    public double EndPathMm(double intoLeafMm)
    {
        if (intoLeafMm <= 0)
        {
            return 0;
        }

        double r = LeafEndRadiusMm, d = intoLeafMm;
        double chord = d >= r ? double.MaxValue : 2 * Math.Sqrt(2 * r * d - d * d);
        return Math.Min(LeafHeightMm, chord);
    }

    /// <summary>
    /// The attenuation exponent μ·L of a leaf pair for a ray crossing the leaf plane at isocentre-plane X
    /// <paramref name="xMm"/>, the pair open from <paramref name="aMm"/> to <paramref name="bMm"/>; isocentre-plane
    /// distances times <paramref name="toLeaf"/> (leaf plane ÷ SAD) are leaf-plane distances.
    /// </summary>
    public double PairExponent(double xMm, double aMm, double bMm, double toLeaf)
    {
        return AttenuationPerMm * (EndPathMm((aMm - xMm) * toLeaf) + EndPathMm((xMm - bMm) * toLeaf));
    }

    /// <summary>
    /// Photon transmission of the MLC for a ray whose crossing of the leaf plane projects to (<paramref name="xMm"/>,
    /// <paramref name="yMm"/>) at the isocentre plane (SAD <paramref name="sadMm"/>), leaves at <paramref name="bankA"/> /
    /// <paramref name="bankB"/>. The kernel computes the same (TransportKernel.Collimation); tests compare with it.
    /// </summary>
    public double TransmissionAt(double xMm, double yMm, IReadOnlyList<double> bankA, IReadOnlyList<double> bankB, double sadMm = 1000)
    {
        ArgumentNullException.ThrowIfNull(bankA);
        ArgumentNullException.ThrowIfNull(bankB);
        IReadOnlyList<double> b = LeafBoundariesMm;
        if (yMm <= b[0] || yMm >= b[^1])
        {
            return 1;
        }

        int k = 0;
        while (k < Pairs - 1 && yMm >= b[k + 1])
        {
            k++;
        }

        double toLeaf = PlaneDistanceMm / sadMm, half = TongueAndGrooveWidthMm / 2;
        double ek = PairExponent(xMm, bankA[k], bankB[k], toLeaf);
        int nb = yMm - b[k] < half && k > 0 ? k - 1 : b[k + 1] - yMm < half && k < Pairs - 1 ? k + 1 : -1;
        if (nb < 0)
        {
            return Math.Exp(-ek);
        }

        double en = PairExponent(xMm, bankA[nb], bankB[nb], toLeaf);
        return Math.Exp(-InterleafScale * 0.5 * (ek + en));
    }

    /// <summary>Scale of the attenuation in the tongue-and-groove band: ln T_interleaf / ln T.</summary>
    public double InterleafScale => Math.Log(InterleafTransmission) / Math.Log(Transmission);

    /// <summary>
    /// The dosimetric leaf gap the rounded ends give (geometric, isocentre plane, mm): the extra open width of a gap
    /// from the photons through both leaf tips, ∫ (T(x) − T) dx / (1 − T) over both ends.
    /// </summary>
    public double GeometricDlgMm(double sadMm = 1000)
    {
        double toLeaf = PlaneDistanceMm / sadMm, t = Transmission, mu = AttenuationPerMm, sum = 0, step = 0.001;
        for (double x = step / 2; x < 400; x += step)
        {
            double e = Math.Exp(-mu * EndPathMm(x * toLeaf)) - t;
            if (e < 1e-9)
            {
                break;
            }

            sum += e * step;
        }

        return 2 * sum / (1 - t);
    }
}
