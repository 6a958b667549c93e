namespace MeTAI.Service.Plans;

/// <summary>Progress of a plan job.</summary>
/// <param name="Fraction">From 0 to 1.</param>
/// <param name="Phase">The step running, e.g. "influence matrix"; the store writes at once when it changes.</param>
/// <param name="Detail">How far the step is, e.g. "beamlet 120/892" (null: none); changes of it alone are throttled.</param>
public readonly record struct PlanProgress(double Fraction, string Phase, string? Detail = null)
{
    /// <summary>The text the API shows as <c>phase</c>: "phase: detail", or the phase alone.</summary>
    public string Text => Detail is null ? Phase : $"{Phase}: {Detail}";
}
