using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization.Objectives;
using MeTAI.Planner.Optimization.Solver;

namespace MeTAI.Planner.Optimization;

/// <summary>
/// The fluence map optimisation problem (matRad's <c>fluenceOptimization</c>): variables are beamlet weights w (MU),
/// the dose is d = A·w, the objective F(d) and its gradient Aᵀ·∂F/∂d. One forward and one adjoint product per
/// evaluation, into buffers allocated once.
/// </summary>
public sealed class FluenceProblem : IDifferentiableFunction
{
    private readonly IDoseOperator _operator;
    private readonly PlanObjective _objective;
    private readonly float[] _weights;
    private readonly float[] _doseGradient;
    private readonly double[] _gradient;

    /// <summary>The problem F(A·w) for <paramref name="op"/> and <paramref name="objective"/>.</summary>
    public FluenceProblem(IDoseOperator op, PlanObjective objective)
    {
        ArgumentNullException.ThrowIfNull(op);
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.Rows != op.Rows)
        {
            throw new ArgumentException("The objective's dose vector does not match the operator's rows.");
        }

        _operator = op;
        _objective = objective;
        _weights = new float[op.Columns];
        Dose = new float[op.Rows];
        _doseGradient = new float[op.Rows];
        _gradient = new double[op.Columns];
    }

    /// <inheritdoc />
    public int Dimension => _operator.Columns;

    /// <summary>The fluence smoothness term, or null.</summary>
    public FluenceSmoothing? Smoothing { get; set; }

    /// <summary>The value of <see cref="Smoothing"/> at the last evaluation (0 without).</summary>
    public double SmoothingValue { get; private set; }

    /// <summary>The dose of the last evaluation, per row (Gy).</summary>
    public float[] Dose { get; }

    /// <summary>Evaluations so far.</summary>
    public int Evaluations { get; private set; }

    /// <inheritdoc />
    public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
    {
        for (int j = 0; j < _weights.Length; j++)
        {
            _weights[j] = (float)x[j];
        }

        _operator.Forward(_weights, Dose);
        double f = _objective.Evaluate(Dose, _doseGradient);
        _operator.Adjoint(_doseGradient, _gradient);
        _gradient.AsSpan().CopyTo(gradient);
        SmoothingValue = Smoothing?.AddValueAndGradient(x, gradient) ?? 0;
        Evaluations++;
        return f + SmoothingValue;
    }

    /// <summary>
    /// A diagonal preconditioner for <see cref="ProjectedLbfgsB"/> at <paramref name="x"/>: 1/hⱼ with
    /// hⱼ = Σᵢ cᵢ A[i,j]² (c the objectives' curvature), scaled to mean 1 and capped at 100× the mean, so that beamlets
    /// that barely touch an active objective do not get huge steps.
    /// </summary>
    public double[] DiagonalPreconditioner(ReadOnlySpan<double> x)
    {
        DoseOf(x, Dose);
        _objective.Curvature(Dose, _doseGradient);
        var h = new double[Dimension];
        _operator.AdjointSquares(_doseGradient, h);
        double mean = 0;
        foreach (double v in h)
        {
            mean += v;
        }

        mean /= Math.Max(1, h.Length);
        if (!(mean > 0))
        {
            Array.Fill(h, 1.0);
            return h;
        }

        Smoothing?.AddCurvature(h);
        for (int j = 0; j < h.Length; j++)
        {
            h[j] = mean / Math.Max(h[j], 0.01 * mean);
        }

        return h;
    }

    /// <summary>The dose for weights <paramref name="x"/> without the gradient, into <paramref name="dose"/>.</summary>
    public void DoseOf(ReadOnlySpan<double> x, float[] dose)
    {
        for (int j = 0; j < _weights.Length; j++)
        {
            _weights[j] = (float)x[j];
        }

        _operator.Forward(_weights, dose);
    }
}
