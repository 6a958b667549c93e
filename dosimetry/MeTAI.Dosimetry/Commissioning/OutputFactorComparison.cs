namespace MeTAI.Dosimetry.Commissioning;

/// <summary>A measured output factor against the model's (dose per MU relative to 10 × 10 cm², same depth and SSD).</summary>
/// <param name="FieldXMm">Field size X, mm.</param>
/// <param name="FieldYMm">Field size Y, mm.</param>
/// <param name="Measured">Measured factor.</param>
/// <param name="Model">Model factor.</param>
public sealed record OutputFactorComparison(double FieldXMm, double FieldYMm, double Measured, double Model)
{
    /// <summary>Model / measured − 1, in percent.</summary>
    public double DeviationPercent => 100 * (Model / Measured - 1);
}
