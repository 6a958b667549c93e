using System.Globalization;
using System.Text;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dosimetry.Analysis;

/// <summary>A lateral dose profile: positions in mm from the centre along a direction, dose at each.</summary>
public sealed class DoseProfile
{
    /// <summary>A profile from samples (positions ascending).</summary>
    public DoseProfile(double[] positionMm, double[] dose)
    {
        ArgumentNullException.ThrowIfNull(positionMm);
        ArgumentNullException.ThrowIfNull(dose);
        if (positionMm.Length != dose.Length || positionMm.Length < 3)
        {
            throw new ArgumentException("A profile needs at least three samples.");
        }

        PositionMm = positionMm;
        Dose = dose;
    }

    /// <summary>Positions from the centre, mm.</summary>
    public double[] PositionMm { get; }

    /// <summary>Dose at each position.</summary>
    public double[] Dose { get; }

    /// <summary>Dose at the centre (interpolated at 0).</summary>
    public double CentralDose
    {
        get
        {
            for (int i = 1; i < PositionMm.Length; i++)
            {
                if (PositionMm[i] >= 0)
                {
                    double t = (0 - PositionMm[i - 1]) / (PositionMm[i] - PositionMm[i - 1]);
                    return Dose[i - 1] + t * (Dose[i] - Dose[i - 1]);
                }
            }

            return Dose[Dose.Length / 2];
        }
    }

    /// <summary>
    /// Width between the outermost crossings of <paramref name="fraction"/> × the central dose on either side (mm),
    /// by linear interpolation; NaN when a side never falls below it.
    /// </summary>
    public double WidthAt(double fraction = 0.5)
    {
        double level = fraction * CentralDose;
        double left = double.NaN, right = double.NaN;
        int c = Array.FindIndex(PositionMm, p => p >= 0);
        for (int i = c; i > 0; i--)
        {
            if (Dose[i - 1] < level && Dose[i] >= level)
            {
                left = PositionMm[i - 1] + (level - Dose[i - 1]) / (Dose[i] - Dose[i - 1]) * (PositionMm[i] - PositionMm[i - 1]);
                break;
            }
        }

        for (int i = Math.Max(c - 1, 0); i < PositionMm.Length - 1; i++)
        {
            if (Dose[i] >= level && Dose[i + 1] < level)
            {
                right = PositionMm[i] + (Dose[i] - level) / (Dose[i] - Dose[i + 1]) * (PositionMm[i + 1] - PositionMm[i]);
                break;
            }
        }

        return right - left;
    }

    /// <summary>
    /// Samples along <paramref name="directionLps"/> through <paramref name="centerLps"/> from −<paramref name="halfWidthMm"/>
    /// to +<paramref name="halfWidthMm"/> every <paramref name="stepMm"/> (trilinear).
    /// </summary>
    public static DoseProfile Sample(GridGeometry geometry, ReadOnlySpan<float> dose, Vec3 centerLps, Vec3 directionLps, double halfWidthMm, double stepMm)
    {
        Vec3 d = directionLps.Normalized();
        int n = (int)Math.Floor(halfWidthMm / stepMm);
        var x = new double[2 * n + 1];
        var v = new double[2 * n + 1];
        for (int i = -n; i <= n; i++)
        {
            x[i + n] = i * stepMm;
            v[i + n] = GridSampling.TrilinearClamped(geometry, dose, centerLps + d * (i * stepMm));
        }

        return new DoseProfile(x, v);
    }

    /// <summary>CSV text: <c>position_mm,dose,relative_percent</c> (relative to the central dose).</summary>
    public string ToCsv()
    {
        double c = CentralDose;
        var sb = new StringBuilder("position_mm,dose,relative_percent\n");
        for (int i = 0; i < PositionMm.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{PositionMm[i]:0.###},{Dose[i]:G6},{(c > 0 ? 100 * Dose[i] / c : 0):0.###}\n");
        }

        return sb.ToString();
    }
}
