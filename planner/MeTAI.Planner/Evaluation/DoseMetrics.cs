using System.Globalization;

namespace MeTAI.Planner.Evaluation;

/// <summary>A parsed DVH metric name (see <see cref="GoalSpec"/>).</summary>
/// <param name="Kind">What is measured.</param>
/// <param name="Parameter">Volume % (Dx), cm³ (Dxcc), Gy (VxGy) or % of prescription (Vx%); 0 otherwise.</param>
public readonly record struct DoseMetric(DoseMetricKind Kind, double Parameter);

/// <summary>Kinds of DVH metrics.</summary>
public enum DoseMetricKind
{
    /// <summary>Dose to the hottest x % of the volume (Dx).</summary>
    DoseAtVolumePercent,

    /// <summary>Dose to the hottest x cm³ (Dxcc).</summary>
    DoseAtVolumeCc,

    /// <summary>Mean dose.</summary>
    Mean,

    /// <summary>Maximum dose.</summary>
    Max,

    /// <summary>Minimum dose.</summary>
    Min,

    /// <summary>Volume % receiving at least x Gy (VxGy).</summary>
    VolumeAtDoseGy,

    /// <summary>Volume % receiving at least x % of the prescription (Vx%).</summary>
    VolumeAtDosePercent,
}

/// <summary>Parses metric names: D95, D2cc, Dmean, Dmax, Dmin, V65Gy, V95%.</summary>
public static class DoseMetrics
{
    /// <summary>Parses <paramref name="name"/>; throws listing the accepted forms.</summary>
    public static DoseMetric Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string n = name.Trim();
        switch (n.ToUpperInvariant())
        {
            case "DMEAN":
                return new DoseMetric(DoseMetricKind.Mean, 0);
            case "DMAX":
                return new DoseMetric(DoseMetricKind.Max, 0);
            case "DMIN":
                return new DoseMetric(DoseMetricKind.Min, 0);
        }

        if (n.Length > 1 && (n[0] == 'D' || n[0] == 'd'))
        {
            string rest = n[1..];
            if (rest.EndsWith("cc", StringComparison.OrdinalIgnoreCase) && TryNumber(rest[..^2], out double cc) && cc > 0)
            {
                return new DoseMetric(DoseMetricKind.DoseAtVolumeCc, cc);
            }

            if (TryNumber(rest.TrimEnd('%'), out double v) && v >= 0 && v <= 100)
            {
                return new DoseMetric(DoseMetricKind.DoseAtVolumePercent, v);
            }
        }

        if (n.Length > 1 && (n[0] == 'V' || n[0] == 'v'))
        {
            string rest = n[1..];
            if (rest.EndsWith("Gy", StringComparison.OrdinalIgnoreCase) && TryNumber(rest[..^2], out double gy) && gy >= 0)
            {
                return new DoseMetric(DoseMetricKind.VolumeAtDoseGy, gy);
            }

            if (rest.EndsWith('%') && TryNumber(rest[..^1], out double pct) && pct >= 0)
            {
                return new DoseMetric(DoseMetricKind.VolumeAtDosePercent, pct);
            }
        }

        throw new ArgumentException($"Unknown metric '{name}'. Use Dxx (e.g. D95), Dxxcc, Dmean, Dmax, Dmin, VxxGy or Vxx% (of the prescription).");
    }

    private static bool TryNumber(string s, out double v) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
}
