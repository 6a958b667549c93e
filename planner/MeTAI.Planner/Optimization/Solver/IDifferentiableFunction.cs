namespace MeTAI.Planner.Optimization.Solver;

/// <summary>A smooth function of n variables that returns its value and writes its gradient.</summary>
public interface IDifferentiableFunction
{
    /// <summary>Number of variables.</summary>
    int Dimension { get; }

    /// <summary>f(x); writes ∇f(x) into <paramref name="gradient"/>.</summary>
    double Evaluate(ReadOnlySpan<double> x, Span<double> gradient);
}
