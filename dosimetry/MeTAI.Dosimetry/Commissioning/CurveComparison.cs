namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// Compares a measured curve with the model's curve under the same conditions. Normalisation: a PDD to its own maximum
/// (measured: the largest sample; model: a parabola through the highest sample and its neighbours, which tames Monte
/// Carlo noise), a profile to its own central-axis value (interpolated at 0). Gamma (Low et al. 1998, in 1D): the
/// measured points are the reference, the model the evaluated curve (linear between its samples, searched every
/// DTA/20 within ± gamma-max × DTA); global by default (ΔD = tolerance × 100 %), local on request (ΔD = tolerance ×
/// the measured value); measured points below the threshold or outside the model's range are not analysed.
/// </summary>
public static class CurveComparison
{
    /// <summary>Compares <paramref name="measured"/> with <paramref name="model"/>.</summary>
    public static CurveComparisonResult Compare(MeasuredCurve measured, SampledCurve model, ComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new ComparisonOptions();
        options.Validate();
        bool pdd = measured.Kind == CurveKind.DepthDose;
        double mNorm = pdd ? measured.Value.Max() : SampledCurve.Interpolate(measured.PositionMm, measured.Value, 0);
        double eNorm = pdd ? ParabolicMax(model) : model.At(0);
        if (!(mNorm > 0) || !(eNorm > 0))
        {
            throw new ArgumentException($"{measured.File}:{measured.Line}: {measured.Label}: no central-axis value to normalise to (the scan or the model does not cover position 0 or is zero there)");
        }

        double[] m = [.. measured.Value.Select(v => 100 * v / mNorm)];
        double[] e = [.. model.Value.Select(v => 100 * v / eNorm)];
        var eval = new SampledCurve(model.PositionMm, e);
        double[] gamma = [.. Enumerable.Range(0, m.Length).Select(i => Gamma(measured.PositionMm[i], m[i], eval, options))];
        double[] analysed = [.. gamma.Where(double.IsFinite)];
        var result = new CurveComparisonResult
        {
            Measured = measured,
            MeasuredPercent = m,
            ModelPositionMm = model.PositionMm,
            ModelPercent = e,
            Gamma = gamma,
            AnalysedPoints = analysed.Length,
            GammaPassRate = analysed.Length > 0 ? analysed.Count(g => g <= 1) / (double)analysed.Length : double.NaN,
            MaxGamma = analysed.Length > 0 ? analysed.Max() : double.NaN,
        };
        return pdd ? DepthDoseFigures(result, eval, model, options) : ProfileFigures(result, eval);
    }

    /// <summary>Gamma of one measured point (position, percent) against the evaluated curve; NaN when not analysed.</summary>
    public static double Gamma(double x, double d, SampledCurve evaluated, ComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(evaluated);
        ArgumentNullException.ThrowIfNull(options);
        if (d < 100 * options.ThresholdFraction || double.IsNaN(evaluated.At(x)))
        {
            return double.NaN;
        }

        double dd = options.DoseTolerance * (options.Local ? d : 100);
        double reach = options.GammaMax * options.DtaMm, step = options.DtaMm / 20, best = options.GammaMax;
        for (double s = -reach; s <= reach + 1e-9; s += step)
        {
            double v = evaluated.At(x + s);
            if (double.IsNaN(v))
            {
                continue;
            }

            double g = Math.Sqrt(s * s / (options.DtaMm * options.DtaMm) + (v - d) * (v - d) / (dd * dd));
            best = Math.Min(best, g);
        }

        return best;
    }

    /// <summary>Output factors measured against the model's, per field size.</summary>
    public static IReadOnlyList<OutputFactorComparison> Compare(OutputFactorTable measured, Func<double, double, double> modelFactor)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(modelFactor);
        return [.. measured.Factors.Select(f => new OutputFactorComparison(f.FieldXMm, f.FieldYMm, f.Factor, modelFactor(f.FieldXMm, f.FieldYMm)))];
    }

    private static CurveComparisonResult DepthDoseFigures(CurveComparisonResult r, SampledCurve eval, SampledCurve model, ComparisonOptions options)
    {
        double[] x = r.Measured.PositionMm, m = r.MeasuredPercent;
        int k = Array.IndexOf(m, m.Max());
        double dmax = x[k], worst = double.NaN, at = double.NaN, dta = double.NaN;
        for (int i = k; i < x.Length; i++)
        {
            double dev = Math.Abs(eval.At(x[i]) - m[i]);
            if (double.IsFinite(dev) && !(dev <= worst))
            {
                (worst, at) = (dev, x[i]);
            }
        }

        double modelDmax = ParabolicMaxDepth(model);
        for (int i = 0; i < k; i++)
        {
            // Build-up points between the threshold and 95 %: nearer dmax the curve is flat and a distance means nothing.
            if (m[i] < 100 * options.ThresholdFraction || m[i] > 95)
            {
                continue;
            }

            double d = BuildUpDistance(x[i], m[i], eval, modelDmax);
            dta = double.IsNaN(dta) ? d : Math.Max(dta, d);
        }

        return r with { DmaxMeasuredMm = dmax, DmaxModelMm = modelDmax, MaxDeviationPercent = worst, MaxDeviationAtMm = at, BuildUpDtaMm = dta };
    }

    // Distance from a measured build-up point to the nearest model depth (up to the model's dmax) of the same PDD;
    // infinite when the model never takes that value there.
    private static double BuildUpDistance(double x, double value, SampledCurve eval, double modelDmaxMm)
    {
        double best = double.PositiveInfinity;
        double[] ex = eval.PositionMm, ev = eval.Value;
        for (int j = 1; j < ex.Length && ex[j - 1] <= modelDmaxMm; j++)
        {
            double lo = Math.Min(ev[j - 1], ev[j]), hi = Math.Max(ev[j - 1], ev[j]);
            if (value < lo || value > hi || ev[j] == ev[j - 1])
            {
                continue;
            }

            double at = ex[j - 1] + (value - ev[j - 1]) / (ev[j] - ev[j - 1]) * (ex[j] - ex[j - 1]);
            best = Math.Min(best, Math.Abs(at - x));
        }

        return best;
    }

    private static CurveComparisonResult ProfileFigures(CurveComparisonResult r, SampledCurve eval)
    {
        double[] x = r.Measured.PositionMm, m = r.MeasuredPercent;
        (double mw, double mp) = Edges(x, m);
        (double ew, double ep) = Edges(eval.PositionMm, eval.Value);
        double worst = double.NaN, at = double.NaN;
        for (int i = 0; i < x.Length; i++)
        {
            double dev = Math.Abs(eval.At(x[i]) - m[i]);
            if (Math.Abs(x[i]) <= 0.4 * mw && double.IsFinite(dev) && !(dev <= worst))
            {
                (worst, at) = (dev, x[i]);
            }
        }

        return r with { Width50MeasuredMm = mw, Width50ModelMm = ew, PenumbraMeasuredMm = mp, PenumbraModelMm = ep, MaxDeviationPercent = worst, MaxDeviationAtMm = at };
    }

    /// <summary>Width at 50 % and the mean 80–20 % penumbra of a profile in percent of its central value (NaN where a side does not fall to 20 %).</summary>
    public static (double Width50Mm, double Penumbra8020Mm) Edges(double[] x, double[] percent)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(percent);
        double r50 = Crossing(x, percent, 50, +1), l50 = Crossing(x, percent, 50, -1);
        double r = Math.Abs(Crossing(x, percent, 20, +1) - Crossing(x, percent, 80, +1));
        double l = Math.Abs(Crossing(x, percent, 80, -1) - Crossing(x, percent, 20, -1));
        return (r50 - l50, 0.5 * (r + l));
    }

    // First position, walking from the centre outward in direction dir, where the profile falls below level.
    private static double Crossing(double[] x, double[] v, double level, int dir)
    {
        int c = Array.FindIndex(x, p => p >= 0);
        if (c < 0)
        {
            return double.NaN;
        }

        for (int i = c; i + dir >= 0 && i + dir < x.Length; i += dir)
        {
            int j = i + dir;
            if (v[i] >= level && v[j] < level)
            {
                return x[i] + (v[i] - level) / (v[i] - v[j]) * (x[j] - x[i]);
            }
        }

        return double.NaN;
    }

    private static (double Depth, double Max) Parabola(SampledCurve c)
    {
        double[] x = c.PositionMm, y = c.Value;
        int k = Array.IndexOf(y, y.Max());
        if (k == 0 || k == y.Length - 1)
        {
            return (x[k], y[k]);
        }

        // Parabola through three (possibly unevenly spaced) samples.
        double x0 = x[k - 1], x1 = x[k], x2 = x[k + 1], y0 = y[k - 1], y1 = y[k], y2 = y[k + 1];
        double d = (x0 - x1) * (x0 - x2) * (x1 - x2);
        double a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / d;
        double b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / d;
        if (!(a < 0))
        {
            return (x1, y1);
        }

        double xv = Math.Clamp(-b / (2 * a), x0, x2);
        double yv = y1 + (a * (xv - x1) + a * 2 * x1 + b) * (xv - x1);
        return (xv, Math.Max(yv, y1));
    }

    private static double ParabolicMax(SampledCurve c) => Parabola(c).Max;

    private static double ParabolicMaxDepth(SampledCurve c) => Parabola(c).Depth;
}
