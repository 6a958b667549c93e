namespace MeTAI.Planner.Optimization.Solver;

/// <summary>Settings of <see cref="ProjectedLbfgsB"/>. Plain options with defaults, validated once.</summary>
public sealed record OptimizerOptions
{
    /// <summary>Correction pairs kept (the "m" of L-BFGS).</summary>
    public int Memory { get; init; } = 30;

    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Stop when the relative decrease of f stays below this for <see cref="Patience"/> iterations in a row (10⁻³ and 3:
    /// matRad's IPOPT settings acceptable_obj_change_tol and acceptable_iter).
    /// </summary>
    public double RelativeFunctionTolerance { get; init; } = 1e-3;

    /// <summary>Iterations in a row below <see cref="RelativeFunctionTolerance"/> before stopping.</summary>
    public int Patience { get; init; } = 3;

    /// <summary>Stop when ‖P(x − ∇f) − x‖∞ falls below this fraction of its first value.</summary>
    public double ProjectedGradientTolerance { get; init; } = 1e-7;

    /// <summary>Armijo sufficient-decrease constant.</summary>
    public double ArmijoC1 { get; init; } = 1e-4;

    /// <summary>Backtracking steps allowed per line search.</summary>
    public int MaxLineSearchSteps { get; init; } = 30;

    /// <summary>Wall-clock limit in seconds (0: none).</summary>
    public double MaxSeconds { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Memory < 1 || MaxIterations < 0 || Patience < 1 || MaxLineSearchSteps < 1 || !(RelativeFunctionTolerance >= 0)
            || !(ProjectedGradientTolerance >= 0) || !(ArmijoC1 > 0 && ArmijoC1 < 1) || MaxSeconds < 0)
        {
            throw new ArgumentException("Optimizer options out of range (memory ≥ 1, iterations ≥ 0, tolerances ≥ 0, 0 < c1 < 1).");
        }
    }
}
