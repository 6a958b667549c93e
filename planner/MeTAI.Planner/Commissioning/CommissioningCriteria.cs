using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// Issue 18's acceptance criteria for a commissioned model against its data, applied per curve in the report: PDDs
/// within 1 % (percentage points of the dmax dose) beyond dmax and the build-up within 2 mm; profiles at 2 %/2 mm
/// gamma ≥ 98 %, and at 10 cm depth the 80–20 % penumbra within 1 mm; output factors within 1.5 % (2.5 % for fields
/// of 2 × 2 cm² and smaller).
/// </summary>
public static class CommissioningCriteria
{
    /// <summary>Whether a curve meets the criteria, with the reason when it does not.</summary>
    public static (bool Pass, string Why) Check(CurveComparisonResult c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var why = new List<string>();
        if (c.Measured.Kind == CurveKind.DepthDose)
        {
            if (!(c.MaxDeviationPercent <= 1))
            {
                why.Add($"deviation beyond dmax {c.MaxDeviationPercent:0.##} % > 1 %");
            }

            if (!double.IsNaN(c.BuildUpDtaMm) && !(c.BuildUpDtaMm <= 2))
            {
                why.Add($"build-up DTA {c.BuildUpDtaMm:0.##} mm > 2 mm");
            }
        }
        else
        {
            if (!(c.GammaPassRate >= 0.98))
            {
                why.Add($"gamma pass {100 * c.GammaPassRate:0.#} % < 98 %");
            }

            if (c.Measured.DepthMm == 100 && double.IsFinite(c.PenumbraMeasuredMm) && !(Math.Abs(c.PenumbraModelMm - c.PenumbraMeasuredMm) <= 1))
            {
                why.Add($"penumbra differs by {c.PenumbraModelMm - c.PenumbraMeasuredMm:0.##} mm (> 1 mm)");
            }
        }

        return (why.Count == 0, string.Join("; ", why));
    }

    /// <summary>Whether an output factor meets its tolerance (1.5 %, or 2.5 % up to 2 × 2 cm²).</summary>
    public static bool Check(OutputFactorComparison o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return Math.Abs(o.DeviationPercent) <= Tolerance(o);
    }

    /// <summary>The tolerance of <paramref name="o"/> in percent.</summary>
    public static double Tolerance(OutputFactorComparison o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return Math.Max(o.FieldXMm, o.FieldYMm) <= 20 ? 2.5 : 1.5;
    }
}
