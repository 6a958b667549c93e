using System.Globalization;
using System.Text;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dosimetry.Analysis;

/// <summary>
/// Dose along the central axis from the entrance surface: depths in mm, dose in the grid's unit, and the percentage
/// depth dose relative to the maximum (dmax found by a parabola through the highest sample and its neighbours).
/// </summary>
public sealed class DepthDoseCurve
{
    /// <summary>A curve from samples.</summary>
    public DepthDoseCurve(double[] depthMm, double[] dose)
    {
        ArgumentNullException.ThrowIfNull(depthMm);
        ArgumentNullException.ThrowIfNull(dose);
        if (depthMm.Length != dose.Length || depthMm.Length < 3)
        {
            throw new ArgumentException("A depth-dose curve needs at least three (depth, dose) samples.");
        }

        DepthMm = depthMm;
        Dose = dose;
        int k = 0;
        for (int i = 1; i < dose.Length; i++)
        {
            if (dose[i] > dose[k])
            {
                k = i;
            }
        }

        MaxIndex = k;
        int c = Math.Clamp(k, 1, dose.Length - 2);
        double y0 = dose[c - 1], y1 = dose[c], y2 = dose[c + 1], h = depthMm[c + 1] - depthMm[c];
        double denom = y0 - 2 * y1 + y2;
        double shift = denom < 0 ? Math.Clamp(0.5 * (y0 - y2) / denom, -1, 1) : 0;
        DmaxMm = depthMm[c] + shift * h;
        MaxDose = denom < 0 ? y1 - 0.25 * (y0 - y2) * shift : dose[k];
        MaxDose = Math.Max(MaxDose, dose[k]);
    }

    /// <summary>Depths below the surface, mm.</summary>
    public double[] DepthMm { get; }

    /// <summary>Dose at each depth.</summary>
    public double[] Dose { get; }

    /// <summary>Index of the highest sample.</summary>
    public int MaxIndex { get; }

    /// <summary>Depth of maximum dose, mm (parabolic refinement).</summary>
    public double DmaxMm { get; }

    /// <summary>Maximum dose (parabolic refinement).</summary>
    public double MaxDose { get; }

    /// <summary>PDD in percent at <paramref name="depthMm"/> (linear interpolation between samples).</summary>
    public double PddAt(double depthMm) => 100 * Interpolate(depthMm) / MaxDose;

    /// <summary>Dose at <paramref name="depthMm"/> (linear interpolation).</summary>
    public double Interpolate(double depthMm)
    {
        if (depthMm <= DepthMm[0])
        {
            return Dose[0];
        }

        for (int i = 1; i < DepthMm.Length; i++)
        {
            if (depthMm <= DepthMm[i])
            {
                double t = (depthMm - DepthMm[i - 1]) / (DepthMm[i] - DepthMm[i - 1]);
                return Dose[i - 1] + t * (Dose[i] - Dose[i - 1]);
            }
        }

        return Dose[^1];
    }

    /// <summary>
    /// Samples the dose along a ray from the surface point <paramref name="surfaceLps"/> in direction
    /// <paramref name="axisLps"/> every <paramref name="stepMm"/> (trilinear), starting half a step below the surface.
    /// </summary>
    public static DepthDoseCurve Sample(GridGeometry geometry, ReadOnlySpan<float> dose, Vec3 surfaceLps, Vec3 axisLps, double stepMm, double maxDepthMm)
    {
        Vec3 a = axisLps.Normalized();
        int n = Math.Max(3, (int)Math.Floor(maxDepthMm / stepMm));
        var d = new double[n];
        var v = new double[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = (i + 0.5) * stepMm;
            v[i] = GridSampling.TrilinearClamped(geometry, dose, surfaceLps + a * d[i]);
        }

        return new DepthDoseCurve(d, v);
    }

    /// <summary>CSV text: <c>depth_mm,dose,pdd_percent</c>.</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder("depth_mm,dose,pdd_percent\n");
        for (int i = 0; i < DepthMm.Length; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{DepthMm[i]:0.###},{Dose[i]:G6},{100 * Dose[i] / MaxDose:0.###}\n");
        }

        return sb.ToString();
    }
}
