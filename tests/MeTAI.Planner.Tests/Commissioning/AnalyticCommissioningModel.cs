using MeTAI.Dosimetry.Commissioning;
using MeTAI.Planner.Commissioning;

namespace MeTAI.Planner.Tests.Commissioning;

/// <summary>
/// A closed-form stand-in for a Monte Carlo beam model with one parameter per fit stage, so the fit machinery (stages,
/// surrogate, bounded least squares, report) is tested in milliseconds: energy k stretches the attenuation
/// (μ = 0.0050/k per mm), the spot σ widens an erf field edge (σ_eff = √(σ² + 2²) mm), the extra-focal weight w raises
/// large-field output (Sc = 1 + w·s/(s + 10 cm)), the contamination c adds c·e^(−d/5 mm) to the build-up.
/// </summary>
internal sealed class AnalyticCommissioningModel : ICommissioningModel
{
    public string BasePath => "analytic.json";

    public IReadOnlyList<FitParameter> Parameters { get; } =
    [
        new("energyScale", FitStage.Spectrum, 0.8, 1.2, 1.0),
        new("spotSigmaMm", FitStage.Spot, 0.5, 4.0, 1.0),
        new("extraFocalWeight", FitStage.ExtraFocal, 0.0, 0.2, 0.05),
        new("contaminationWeight", FitStage.Contamination, 0.0, 0.3, 0.05),
    ];

    public int Runs { get; private set; }

    public FieldCurves Simulate(double[] values, FieldCondition field, long histories, ulong seed)
    {
        Runs++;
        return new Curves(values) { Field = field };
    }

    public void WriteBeamFile(double[] values, string outPath, CommissioningProvenance provenance) =>
        MeTAI.Core.IO.AtomicFile.WriteAllText(outPath, MeTAI.Core.Json.JsonDefaults.Serialize(new { values, provenance }));

    public void Dispose()
    {
    }

    public static double Pdd(double[] p, double d) => 100 * ((1 - Math.Exp(-d / 4.5)) * Math.Exp(-0.005 / p[0] * d) + p[3] * Math.Exp(-d / 5));

    public static double Profile(double[] p, FieldCondition f, CurveKind kind, double depth, double x)
    {
        double h = 0.5 * (kind == CurveKind.CrosslineProfile ? f.FieldXMm : f.FieldYMm) * (f.SsdMm + depth) / 1000;
        double s = Math.Sqrt(p[1] * p[1] + 4);
        return 50 * (Erf((h - x) / s) + Erf((h + x) / s));
    }

    public static double Output(double[] p, double fieldXMm, double fieldYMm, double depth)
    {
        double side = 2 * fieldXMm * fieldYMm / (fieldXMm + fieldYMm) / 10;
        return Pdd(p, depth) * (1 - 0.3 * Math.Exp(-side / 3)) * (1 + p[2] * side / (side + 10));
    }

    // Abramowitz & Stegun 7.1.26.
    public static double Erf(double z)
    {
        double t = 1 / (1 + 0.3275911 * Math.Abs(z));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return z >= 0 ? y : -y;
    }

    private sealed class Curves(double[] p) : FieldCurves
    {
        private readonly double[] _p = (double[])p.Clone();

        public override SampledCurve DepthDose
        {
            get
            {
                double[] x = [.. Enumerable.Range(0, (int)(Field.MaxDepthMm * 2) + 1).Select(i => i * 0.5)];
                return new SampledCurve(x, [.. x.Select(d => Pdd(_p, d))]);
            }
        }

        public override SampledCurve Profile(CurveKind kind, double depthMm)
        {
            double[] x = [.. Enumerable.Range(-600, 1201).Select(i => i * 0.5)];
            return new SampledCurve(x, [.. x.Select(v => AnalyticCommissioningModel.Profile(_p, Field, kind, depthMm, v))]);
        }

        public override double DosePerMuAt(double depthMm) => Output(_p, Field.FieldXMm, Field.FieldYMm, depthMm);

        public override double RelativeUncertaintyAt(double depthMm) => 0;
    }
}
