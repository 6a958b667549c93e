namespace MeTAI.Planner.Optimization.Solver;

/// <summary>What <see cref="ProjectedLbfgsB.Minimize"/> did.</summary>
public sealed class OptimizationResult
{
    /// <summary>Final objective value.</summary>
    public required double Objective { get; init; }

    /// <summary>Iterations done.</summary>
    public required int Iterations { get; init; }

    /// <summary>Function (and gradient) evaluations.</summary>
    public required int Evaluations { get; init; }

    /// <summary>Wall-clock seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>Why it stopped.</summary>
    public required string StopReason { get; init; }

    /// <summary>Objective after every iteration (index 0 = start).</summary>
    public required IReadOnlyList<IterationRecord> History { get; init; }
}
