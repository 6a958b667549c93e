namespace MeTAI.Dosimetry.Commissioning;

/// <summary>A computed curve: positions (depth or off-axis, mm, ascending) and values, linearly interpolated between samples.</summary>
public sealed record SampledCurve(double[] PositionMm, double[] Value)
{
    /// <summary>Value at <paramref name="positionMm"/> (linear; NaN outside the samples).</summary>
    public double At(double positionMm) => Interpolate(PositionMm, Value, positionMm);

    /// <summary>Linear interpolation of (x, y) at <paramref name="at"/>; NaN outside [x0, xn].</summary>
    public static double Interpolate(double[] x, double[] y, double at)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!(at >= x[0] && at <= x[^1]))
        {
            return double.NaN;
        }

        int i = Array.BinarySearch(x, at);
        if (i >= 0)
        {
            return y[i];
        }

        i = ~i;
        double t = (at - x[i - 1]) / (x[i] - x[i - 1]);
        return y[i - 1] + t * (y[i] - y[i - 1]);
    }
}
