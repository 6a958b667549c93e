using System.Text.Json;
using MeTAI.Dosimetry.Commissioning;
using MeTAI.Planner.Commissioning;

namespace MeTAI.Planner.Tests.Commissioning;

/// <summary>
/// The successive fits on a closed-form model (<see cref="AnalyticCommissioningModel"/>): measured data generated with
/// known parameters plus 0.3 % Gaussian noise on every point is commissioned back to those parameters, and the report
/// holds every curve with its PNG. The Monte Carlo round trip is PointSourceRoundTripTests.
/// </summary>
public class CommissionerTests
{
    private static readonly double[] Truth = [1.05, 1.8, 0.08, 0.12];

    internal static BeamDataSet Generate(Func<FieldCondition, CurveKind, double, double, double> value, Func<double, double, double> factor, double noise, int seed)
    {
        var rng = new Random(seed);
        double Noisy(double v) => v * (1 + noise * Gaussian(rng));
        var curves = new List<MeasuredCurve>();
        foreach (double size in new[] { 30.0, 100, 300 })
        {
            var f = new FieldCondition(size, size, 1000, 300);
            double[] depth = [.. Enumerable.Range(0, 151).Select(i => i * 2.0)];
            curves.Add(Curve(CurveKind.DepthDose, f, null, depth, [.. depth.Select(d => Noisy(value(f, CurveKind.DepthDose, 0, d)))]));
            foreach (double d in new[] { 15.0, 100 })
            {
                double half = 0.5 * size * 1.1 + 30;
                double[] x = [.. Enumerable.Range(0, (int)(2 * half) + 1).Select(i => i - half)];
                curves.Add(Curve(CurveKind.CrosslineProfile, f, d, x, [.. x.Select(p => Noisy(value(f, CurveKind.CrosslineProfile, d, p)))]));
            }
        }

        double[] sides = [20, 30, 50, 100, 200, 300, 400];
        var table = new OutputFactorTable
        {
            SsdMm = 1000, DepthMm = 100, File = "of.csv",
            Factors = [.. sides.Select(s => new OutputFactor(s, s, s == 100 ? 1 : Math.Round(factor(s, s) * (1 + noise * Gaussian(rng)), 4), 1))],
        };
        return new BeamDataSet { Curves = curves, OutputFactors = [table], Files = ["generated"] };
    }

    private static MeasuredCurve Curve(CurveKind kind, FieldCondition f, double? depth, double[] x, double[] v) => new()
    {
        Kind = kind, FieldXMm = f.FieldXMm, FieldYMm = f.FieldYMm, SsdMm = f.SsdMm, DepthMm = depth, PositionMm = x, Value = v, File = "generated", Line = 1,
    };

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static BeamDataSet AnalyticData(int seed) => Generate(
        (f, kind, depth, x) => kind == CurveKind.DepthDose ? AnalyticCommissioningModel.Pdd(Truth, x) : AnalyticCommissioningModel.Profile(Truth, f, kind, depth, x),
        (x, y) => AnalyticCommissioningModel.Output(Truth, x, y, 100) / AnalyticCommissioningModel.Output(Truth, 100, 100, 100),
        0.003, seed);

    [Fact]
    public void Run_NoisyDataFromKnownParameters_RecoversThem()
    {
        using var model = new AnalyticCommissioningModel();
        var log = new StringWriter();
        CommissioningResult r = new Commissioner(model, AnalyticData(7), new CommissioningOptions { Histories = 10_000 }, log).Run();
        Assert.Equal(1.05, r.Values[0], 0.01);
        Assert.Equal(1.8, r.Values[1], 0.15);
        Assert.Equal(0.08, r.Values[2], 0.01);
        Assert.Equal(0.12, r.Values[3], 0.02);
        Assert.Equal(4, r.Stages.Count);
        Assert.Contains("stage Spectrum: energyScale = 1.0", log.ToString(), StringComparison.Ordinal);
        Assert.All(r.Curves, c => Assert.True(c.GammaPassRate >= 0.98, $"{c.Measured.Label}: {c.GammaPassRate}"));
        Assert.All(r.OutputFactors, o => Assert.True(Math.Abs(o.DeviationPercent) < 1.0, $"{o.FieldXMm}: {o.DeviationPercent}"));
    }

    [Fact]
    public void Run_ModelWithoutAStageParameter_SkipsItAndSaysSo()
    {
        using var model = new AnalyticCommissioningModel();
        BeamDataSet data = AnalyticData(8) with { OutputFactors = [] };
        CommissioningResult r = new Commissioner(model, data, new CommissioningOptions { Histories = 10_000 }).Run();
        Assert.Equal("stage ExtraFocal: skipped: the measured data has nothing this stage fits", r.Stages[2]);
        Assert.Equal(0.05, r.Values[2]);
    }

    [Fact]
    public void Report_WritesPngPerCurveAndSummaries()
    {
        using var model = new AnalyticCommissioningModel();
        BeamDataSet data = AnalyticData(9);
        CommissioningResult r = new Commissioner(model, data, new CommissioningOptions { Histories = 10_000 }).Run();
        string dir = RepositoryPaths.TempDir("commission-report");
        string beam = Path.Combine(dir, "fitted.json");
        string md = CommissioningReport.Write(r, beam, "generated", new ComparisonOptions());
        Assert.Equal(Path.Combine(dir, "fitted-report", "summary.md"), md);
        foreach (MeasuredCurve c in data.Curves)
        {
            byte[] png = File.ReadAllBytes(Path.Combine(dir, "fitted-report", c.Label + ".png"));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }

        Assert.True(File.Exists(Path.Combine(dir, "fitted-report", "output-factors.png")));
        string text = File.ReadAllText(md);
        Assert.Contains("| [pdd-10x10-ssd100](pdd-10x10-ssd100.png) |", text, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "fitted-report", "summary.json")));
        Assert.Equal(data.Curves.Count, json.RootElement.GetProperty("curves").GetArrayLength());
        Assert.Equal(7, json.RootElement.GetProperty("outputFactors").GetArrayLength());
        Assert.False(json.RootElement.GetProperty("gamma").GetProperty("local").GetBoolean());
    }

    [Fact]
    public void Surrogate_QuadraticThroughNoisyNodes_MinimumWhereExpected()
    {
        double[][] nodes = [[0], [0.25], [0.5], [0.75], [1]];
        var rng = new Random(3);
        List<double[]> responses = [.. nodes.Select(u => new[] { 3 * (u[0] - 0.37) + 0.01 * Gaussian(rng), -2 * (u[0] - 0.37) })];
        var s = new QuadraticSurrogate(nodes, responses);
        double[] best = Commissioner.Minimise(u => s.Predict(u).Sum(x => x * x), 1);
        Assert.Equal(0.37, best[0], 0.01);
    }
}
