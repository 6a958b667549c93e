using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The residuals (measured − model) each fit stage minimises, from the measured data and the model's curves:
/// <list type="bullet">
/// <item>spectrum: PDD points 10 mm or more beyond the measured dmax, percent of the measured maximum, the model scaled
/// by the least-squares factor over those points (Σ m·e / Σ e²), so only the fall-off's shape counts over its whole
/// lever arm, not the build-up or the contamination that shape the maximum;</item>
/// <item>spot: each profile's 80–20 % penumbra, mm (model − measured);</item>
/// <item>extra-focal: each output factor, percent of the measured factor;</item>
/// <item>contamination: PDD build-up points (before the measured dmax, ≥ 10 %), percent of dmax, the model normalised
/// at the measured dmax depth (interpolated, not at its own noisy maximum).</item>
/// </list>
/// </summary>
public static class StageResiduals
{
    /// <summary>The residual vector of <paramref name="stage"/>; <paramref name="curves"/> maps a field to its run.</summary>
    public static double[] Of(FitStage stage, BeamDataSet data, Func<FieldCondition, FieldCurves> curves)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(curves);
        var r = new List<double>();
        switch (stage)
        {
            case FitStage.Spectrum or FitStage.Contamination:
                foreach (MeasuredCurve c in data.Curves.Where(c => c.Kind == CurveKind.DepthDose))
                {
                    r.AddRange(DepthDose(c, curves(CommissioningFields.Of(c, data)).DepthDose, stage == FitStage.Spectrum));
                }

                break;
            case FitStage.Spot:
                foreach (MeasuredCurve c in data.Curves.Where(c => c.Kind != CurveKind.DepthDose))
                {
                    r.Add(Penumbra(c, curves(CommissioningFields.Of(c, data))));
                }

                break;
            case FitStage.ExtraFocal:
                foreach (OutputFactorTable t in data.OutputFactors)
                {
                    double reference = curves(CommissioningFields.Reference(t, data)).DosePerMuAt(t.DepthMm);
                    r.AddRange(t.Factors.Select(f => 100 * (curves(CommissioningFields.Of(f, t, data)).DosePerMuAt(t.DepthMm) / reference / f.Factor - 1)));
                }

                break;
        }

        return [.. r];
    }

    private static IEnumerable<double> DepthDose(MeasuredCurve c, SampledCurve model, bool beyondDmax)
    {
        int k = Array.IndexOf(c.Value, c.Value.Max());
        double dmax = c.PositionMm[k], mNorm = c.Value[k], eNorm = model.At(dmax);
        if (beyondDmax)
        {
            double sme = 0, see = 0;
            for (int i = 0; i < c.PositionMm.Length; i++)
            {
                double e = model.At(c.PositionMm[i]);
                if (c.PositionMm[i] >= dmax + 10 && double.IsFinite(e))
                {
                    sme += c.Value[i] / mNorm * e;
                    see += e * e;
                }
            }

            if (!(see > 0))
            {
                yield break;
            }

            eNorm = see / sme;
        }

        for (int i = 0; i < c.PositionMm.Length; i++)
        {
            double x = c.PositionMm[i], m = 100 * c.Value[i] / mNorm;
            bool use = beyondDmax ? x >= dmax + 10 : x < dmax && m >= 10;
            double e = model.At(x);
            if (use && double.IsFinite(e))
            {
                yield return m - 100 * e / eNorm;
            }
        }
    }

    private static double Penumbra(MeasuredCurve c, FieldCurves run)
    {
        SampledCurve p = run.Profile(c.Kind, c.DepthMm!.Value);
        double mc = SampledCurve.Interpolate(c.PositionMm, c.Value, 0), ec = p.At(0);
        double measured = CurveComparison.Edges(c.PositionMm, [.. c.Value.Select(v => 100 * v / mc)]).Penumbra8020Mm;
        double model = CurveComparison.Edges(p.PositionMm, [.. p.Value.Select(v => 100 * v / ec)]).Penumbra8020Mm;
        return double.IsFinite(measured) && double.IsFinite(model) ? model - measured : 0;
    }
}
