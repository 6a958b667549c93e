namespace MeTAI.Planner.Commissioning;

/// <summary>One fitted source parameter: its name (the beam JSON path), the stage that fits it, bounds and start value.</summary>
/// <param name="Name">Beam JSON path or a named derived quantity, e.g. <c>spectrumEnergyScale</c>.</param>
/// <param name="Stage">The fit stage that varies it.</param>
/// <param name="Lower">Lower bound.</param>
/// <param name="Upper">Upper bound.</param>
/// <param name="Start">Value in the base model.</param>
public sealed record FitParameter(string Name, FitStage Stage, double Lower, double Upper, double Start);
