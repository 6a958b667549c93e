using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using MathNet.Numerics.Optimization.ObjectiveFunctions;
using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// Fits a beam model to measured tank data by successive fits (docs/commissioning.md): spectrum from the PDDs beyond
/// dmax → spot size from the penumbrae → extra-focal source from the output factors → electron contamination from the
/// build-up. Each stage varies its own 1–2 parameters within their bounds, the others held: Monte Carlo runs at a
/// grid of nodes (5 for one parameter, 3 × 3 for two; every node the same seed per field), a quadratic surrogate of
/// every residual through the nodes (<see cref="QuadraticSurrogate"/>), and bounded least squares on the surrogate
/// (L-BFGS-B of MathNet.Numerics with forward-difference gradients, started from the best point of a fine grid). A
/// stage for which the model has no parameter, or the data no residual, is skipped and says so. A final run at the
/// fitted values gives the comparisons of the report.
/// </summary>
public sealed class Commissioner(ICommissioningModel model, BeamDataSet data, CommissioningOptions options, TextWriter? log = null)
{
    private int _runs;

    /// <summary>Runs the fit and the final comparison.</summary>
    public CommissioningResult Run()
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        IReadOnlyList<FieldCondition> fields = CommissioningFields.All(data);
        Log($"commission: {data.Files.Count} files, {data.Curves.Count} scans, {data.OutputFactors.Sum(t => t.Factors.Count)} output factors, {fields.Count} fields; {options.Histories:N0} histories per run");
        double[] values = [.. model.Parameters.Select(p => p.Start)];
        var stages = new List<string>();
        foreach (FitStage stage in Enum.GetValues<FitStage>())
        {
            string line = FitStage(stage, values);
            stages.Add(line);
            Log(line);
        }

        Log("final run at the fitted values…");
        var final = new Dictionary<FieldCondition, FieldCurves>();
        FieldCurves Final(FieldCondition f) => Cached(final, f, values, fields, options.Seed + 1000);
        var curves = data.Curves.Select(c => CurveComparison.Compare(c, Model(c, Final(CommissioningFields.Of(c, data))), options.Comparison)).ToList();
        var ofs = data.OutputFactors.SelectMany(t => CurveComparison.Compare(t, (x, y) =>
            Final(Find(fields, x, y, t.SsdMm)).DosePerMuAt(t.DepthMm) / Final(CommissioningFields.Reference(t, data)).DosePerMuAt(t.DepthMm))).ToList();
        FieldCondition? reference = fields.FirstOrDefault(f => f.FieldXMm == 100 && f.FieldYMm == 100 && f.SsdMm == 1000);
        double? refDose = null, refUnc = null;
        if (reference is not null && data.Curves.Any(c => c.Kind == CurveKind.DepthDose && CommissioningFields.Of(c, data) == reference))
        {
            FieldCurves r = Final(reference);
            double dmax = curves.First(c => c.Measured.Kind == CurveKind.DepthDose && CommissioningFields.Of(c.Measured, data) == reference).DmaxModelMm;
            (refDose, refUnc) = (r.DosePerMuAt(dmax), r.RelativeUncertaintyAt(dmax));
        }

        return new CommissioningResult
        {
            Parameters = model.Parameters, Values = values, Stages = stages, Curves = curves, OutputFactors = ofs, Mlc = data.Mlc,
            ReferenceDosePerFluence = refDose, ReferenceRelativeUncertainty = refUnc, Runs = _runs,
        };
    }

    private static SampledCurve Model(MeasuredCurve c, FieldCurves run) =>
        c.Kind == CurveKind.DepthDose ? run.DepthDose : run.Profile(c.Kind, c.DepthMm!.Value);

    private static FieldCondition Find(IReadOnlyList<FieldCondition> fields, double x, double y, double ssd) =>
        fields.First(f => f.FieldXMm == x && f.FieldYMm == y && f.SsdMm == ssd);

    private FieldCurves Cached(Dictionary<FieldCondition, FieldCurves> cache, FieldCondition f, double[] values, IReadOnlyList<FieldCondition> fields, ulong seed)
    {
        if (!cache.TryGetValue(f, out FieldCurves? c))
        {
            c = model.Simulate(values, f, options.Histories, seed + (ulong)IndexOf(fields, f));
            cache[f] = c;
            _runs++;
        }

        return c;
    }

    private static int IndexOf(IReadOnlyList<FieldCondition> fields, FieldCondition f)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (fields[i] == f)
            {
                return i;
            }
        }

        return fields.Count;
    }

    private string FitStage(FitStage stage, double[] values)
    {
        int[] idx = [.. Enumerable.Range(0, model.Parameters.Count).Where(i => model.Parameters[i].Stage == stage)];
        if (idx.Length == 0)
        {
            return $"stage {stage}: skipped: the base model ({Path.GetFileName(model.BasePath)}) has no {stage} parameter";
        }

        if (idx.Length > 2)
        {
            throw new InvalidOperationException($"stage {stage}: {idx.Length} parameters; a stage fits one or two.");
        }

        IReadOnlyList<FieldCondition> fields = CommissioningFields.All(data);
        double[][] nodes = Nodes(idx.Length);
        var responses = new List<double[]>();
        foreach (double[] u in nodes)
        {
            double[] trial = At(values, idx, u);
            var cache = new Dictionary<FieldCondition, FieldCurves>();
            double[] r = StageResiduals.Of(stage, data, f => Cached(cache, f, trial, fields, options.Seed));
            if (r.Length == 0)
            {
                return $"stage {stage}: skipped: the measured data has nothing this stage fits";
            }

            responses.Add(r);
            Log(string.Create(CultureInfo.InvariantCulture, $"  {stage} node {Describe(trial, idx)}: rms residual {Rms(r):0.###} ({r.Length} points)"));
        }

        var surrogate = new QuadraticSurrogate(nodes, responses);
        double[] best = Minimise(u => surrogate.Predict(u).Sum(x => x * x), idx.Length);
        double[] fitted = At(values, idx, best);
        Array.Copy(fitted, values, values.Length);
        return string.Create(CultureInfo.InvariantCulture,
            $"stage {stage}: {Describe(values, idx)} (surrogate rms residual {Rms(surrogate.Predict(best)):0.###}, {nodes.Length} nodes)");
    }

    private string Describe(double[] v, int[] idx) =>
        string.Join(", ", idx.Select(i => string.Create(CultureInfo.InvariantCulture, $"{model.Parameters[i].Name} = {v[i]:0.####}")));

    private double[] At(double[] values, int[] idx, double[] unit)
    {
        double[] v = (double[])values.Clone();
        for (int k = 0; k < idx.Length; k++)
        {
            FitParameter p = model.Parameters[idx[k]];
            v[idx[k]] = p.Lower + unit[k] * (p.Upper - p.Lower);
        }

        return v;
    }

    private static readonly double[] Levels3 = [0, 0.5, 1];

    private static double[][] Nodes(int dims) => dims == 1
        ? [[0], [0.25], [0.5], [0.75], [1]]
        : [.. from a in Levels3 from b in Levels3 select new[] { a, b }];

    /// <summary>Bounded minimum of <paramref name="f"/> on [0, 1]^dims: the best of a fine grid, refined by L-BFGS-B.</summary>
    internal static double[] Minimise(Func<double[], double> f, int dims)
    {
        int n = dims == 1 ? 401 : 61;
        double[] best = new double[dims];
        double bestValue = double.PositiveInfinity;
        for (int i = 0; i < (dims == 1 ? n : n * n); i++)
        {
            double[] u = dims == 1 ? [i / (n - 1.0)] : [(i % n) / (n - 1.0), (i / n) / (n - 1.0)];
            double v = f(u);
            if (v < bestValue)
            {
                (best, bestValue) = (u, v);
            }
        }

        try
        {
            var lower = Vector<double>.Build.Dense(dims, 0);
            var upper = Vector<double>.Build.Dense(dims, 1);
            var objective = new ForwardDifferenceGradientObjectiveFunction(ObjectiveFunction.Value(x => f([.. x])), lower, upper, 1e-7, 1e-9);
            MinimizationResult r = new BfgsBMinimizer(1e-10, 1e-10, 1e-12, 200).FindMinimum(objective, lower, upper, Vector<double>.Build.DenseOfArray(best));
            double[] refined = [.. r.MinimizingPoint.Select(x => Math.Clamp(x, 0, 1))];
            return f(refined) <= bestValue ? refined : best;
        }
        catch (Exception ex) when (ex is MaximumIterationsException or InnerOptimizationException or EvaluationException or ArgumentException)
        {
            return best; // the grid point is within 1/400 (1D) or 1/60 (2D) of the bounds' range
        }
    }

    private static double Rms(double[] r) => r.Length == 0 ? 0 : Math.Sqrt(r.Sum(x => x * x) / r.Length);

    private void Log(string line) => log?.WriteLine(line);
}
