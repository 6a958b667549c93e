namespace MeTAI.Planner.Commissioning;

/// <summary>One jaw field the model is run for: size at the isocentre plane and SSD, and how deep the tank must be.</summary>
/// <param name="FieldXMm">Crossline (IEC X) size, mm.</param>
/// <param name="FieldYMm">Inline (IEC Y) size, mm.</param>
/// <param name="SsdMm">Source–surface distance, mm.</param>
/// <param name="MaxDepthMm">Deepest point asked for, mm.</param>
public sealed record FieldCondition(double FieldXMm, double FieldYMm, double SsdMm, double MaxDepthMm);
