namespace MeTAI.Dosimetry.Commissioning;

/// <summary>A measured output factor (dose per MU relative to the 10 × 10 cm² field) for one jaw field size.</summary>
/// <param name="FieldXMm">Field size along X (crossline) at the isocentre plane, mm.</param>
/// <param name="FieldYMm">Field size along Y (inline) at the isocentre plane, mm.</param>
/// <param name="Factor">Dose per MU relative to 10 × 10 cm² under the table's conditions.</param>
/// <param name="Line">1-based line of the value in its file.</param>
public sealed record OutputFactor(double FieldXMm, double FieldYMm, double Factor, int Line);
