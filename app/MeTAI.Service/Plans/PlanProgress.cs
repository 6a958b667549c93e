namespace MeTAI.Service.Plans;

/// <summary>Progress of a plan job.</summary>
/// <param name="Fraction">From 0 to 1.</param>
/// <param name="Phase">What is running, e.g. "Monte Carlo beam 2/5".</param>
public readonly record struct PlanProgress(double Fraction, string Phase);
