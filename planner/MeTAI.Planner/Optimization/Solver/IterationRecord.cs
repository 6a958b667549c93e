namespace MeTAI.Planner.Optimization.Solver;

/// <summary>One line of the convergence history.</summary>
/// <param name="Iteration">Iteration (0 = starting point).</param>
/// <param name="Objective">f after the iteration.</param>
/// <param name="ProjectedGradient">‖P(x − ∇f) − x‖∞ after the iteration.</param>
/// <param name="Evaluations">Function evaluations so far.</param>
/// <param name="Seconds">Wall-clock seconds since the start.</param>
/// <param name="FreeVariables">Variables off their bounds or leaving them.</param>
public readonly record struct IterationRecord(int Iteration, double Objective, double ProjectedGradient, int Evaluations, double Seconds, int FreeVariables);
