using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Dosimetry.Tests.Commissioning;

/// <summary>
/// The measured-versus-model figures on curves whose answers are known in closed form: an erf field edge (80–20 %
/// penumbra = 2 × 0.5951 × σ, since erf(0.5951) = 0.6), shifted and scaled copies (gamma, DTA, deviations).
/// </summary>
public class CurveComparisonTests
{
    private static double Edge(double x, double half, double sigma) => 50 * (SpecialErf((half - x) / sigma) + SpecialErf((half + x) / sigma));

    // Abramowitz & Stegun 7.1.26 is only 1.5e-7 accurate; that is plenty for these tolerances.
    private static double SpecialErf(double z)
    {
        double t = 1 / (1 + 0.3275911 * Math.Abs(z));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return z >= 0 ? y : -y;
    }

    private static double Pdd(double d) => 100 * (1 - Math.Exp(-d / 4.5)) * Math.Exp(-0.0047 * (d - 15));

    private static MeasuredCurve Curve(CurveKind kind, double[] x, double[] v) => new()
    {
        Kind = kind, FieldXMm = 100, FieldYMm = 100, SsdMm = 1000, DepthMm = kind == CurveKind.DepthDose ? null : 100,
        PositionMm = x, Value = v, File = "t.csv", Line = 1,
    };

    private static double[] Range(double from, double to, double step) =>
        [.. Enumerable.Range(0, (int)Math.Round((to - from) / step) + 1).Select(i => from + i * step)];

    [Fact]
    public void Profile_IdenticalCurves_FullPassAndErfPenumbra()
    {
        double[] x = Range(-80, 80, 0.5);
        double[] v = [.. x.Select(p => Edge(p, 55, 3))];
        CurveComparisonResult r = CurveComparison.Compare(Curve(CurveKind.CrosslineProfile, x, v), new SampledCurve(x, v));
        Assert.Equal(1.0, r.GammaPassRate);
        Assert.True(r.MaxGamma < 1e-6);
        Assert.Equal(2 * 0.5951 * 3, r.PenumbraMeasuredMm, 1); // 3.571 mm
        Assert.Equal(r.PenumbraMeasuredMm, r.PenumbraModelMm, 9);
        Assert.Equal(110, r.Width50MeasuredMm, 1);
    }

    [Fact]
    public void Profile_ModelShifted1Mm_GammaAtMostHalf_Shifted3Mm_EdgesFail()
    {
        double[] x = Range(-80, 80, 1);
        double[] v = [.. x.Select(p => Edge(p, 55, 3))];
        double[] wide1 = [.. x.Select(p => Edge(p, 56, 3))];
        CurveComparisonResult r1 = CurveComparison.Compare(Curve(CurveKind.CrosslineProfile, x, v), new SampledCurve(x, wide1));
        Assert.Equal(1.0, r1.GammaPassRate);
        Assert.True(r1.MaxGamma <= 0.5 + 1e-6, $"max gamma {r1.MaxGamma}");
        Assert.Equal(2, r1.Width50ModelMm - r1.Width50MeasuredMm, 1);
        double[] wide3 = [.. x.Select(p => Edge(p, 58, 3))];
        CurveComparisonResult r3 = CurveComparison.Compare(Curve(CurveKind.CrosslineProfile, x, v), new SampledCurve(x, wide3));
        Assert.True(r3.GammaPassRate < 0.95, $"pass rate {r3.GammaPassRate}");
        Assert.True(r3.MaxGamma > 1.4);
    }

    [Fact]
    public void Gamma_GlobalAndLocal_DoseTermAsDefined()
    {
        var flat = new SampledCurve([-10, 0, 10], [21, 21, 21]);
        Assert.Equal(0.5, CurveComparison.Gamma(0, 20, flat, new ComparisonOptions()), 9); // ΔD = 2 % of 100
        Assert.Equal(2.0, CurveComparison.Gamma(0, 20, flat, new ComparisonOptions { Local = true }), 9); // ΔD = 0.4: capped at 2
        Assert.True(double.IsNaN(CurveComparison.Gamma(0, 5, flat, new ComparisonOptions()))); // below the 10 % threshold
        Assert.True(double.IsNaN(CurveComparison.Gamma(20, 50, flat, new ComparisonOptions()))); // outside the model
    }

    [Fact]
    public void DepthDose_ScaledTail_MaxDeviationBeyondDmaxWhereExpected()
    {
        double[] x = Range(0, 300, 1);
        double[] v = [.. x.Select(Pdd)];
        int k = Array.IndexOf(v, v.Max());
        double dmax = x[k];
        double[] model = [.. x.Select((d, i) => i > k ? v[i] * (1 - 1e-4 * (d - dmax)) : v[i])];
        CurveComparisonResult r = CurveComparison.Compare(Curve(CurveKind.DepthDose, x, v), new SampledCurve(x, model));
        // The deviation 100·v(d)/v(dmax)·1e-4·(d − dmax) peaks where d − dmax = 1/0.0047 ≈ 213 mm.
        int worst = Enumerable.Range(k, x.Length - k).MaxBy(i => v[i] * (x[i] - dmax));
        double expected = 100 * v[worst] / v[k] * 1e-4 * (x[worst] - dmax);
        Assert.Equal(dmax, r.DmaxMeasuredMm);
        Assert.InRange(r.MaxDeviationAtMm, x[worst] - 2, x[worst] + 2); // the product is flat at its peak
        Assert.InRange(r.MaxDeviationAtMm, 225, 232);
        Assert.Equal(expected, r.MaxDeviationPercent, 2);
        Assert.True(r.BuildUpDtaMm < 0.01);
    }

    [Fact]
    public void DepthDose_ModelDeeperBy1_5Mm_BuildUpDta1_5Mm()
    {
        double[] x = Range(0, 300, 0.5);
        double[] v = [.. x.Select(Pdd)];
        double[] model = [.. x.Select(d => Pdd(Math.Max(d - 1.5, 0)) * (d < 1.5 ? d / 1.5 : 1))];
        CurveComparisonResult r = CurveComparison.Compare(Curve(CurveKind.DepthDose, x, v), new SampledCurve(x, model));
        Assert.Equal(1.5, r.BuildUpDtaMm, 1);
    }

    [Fact]
    public void OutputFactors_RatioInPercent()
    {
        var table = new OutputFactorTable { SsdMm = 1000, DepthMm = 100, File = "of.csv", Factors = [new OutputFactor(20, 20, 0.8, 5), new OutputFactor(100, 100, 1, 6)] };
        IReadOnlyList<OutputFactorComparison> c = CurveComparison.Compare(table, (x, _) => x == 20 ? 0.82 : 1.0);
        Assert.Equal(2.5, c[0].DeviationPercent, 9);
        Assert.Equal(0, c[1].DeviationPercent, 9);
    }
}
