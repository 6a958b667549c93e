namespace MeTAI.Planner.Plans;

/// <summary>The prescription: total dose to the target over all fractions.</summary>
/// <param name="Target">Name of the structure the dose is prescribed to (e.g. PTV).</param>
/// <param name="DoseGy">Total prescribed dose, Gy (all fractions).</param>
/// <param name="Fractions">Number of fractions.</param>
public sealed record Prescription(string Target, double DoseGy, int Fractions)
{
    /// <summary>Dose per fraction, Gy.</summary>
    public double DosePerFractionGy => DoseGy / Fractions;

    /// <summary>Throws when the numbers make no sense.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Target))
        {
            throw new ArgumentException("The prescription needs a target structure.");
        }

        if (!(DoseGy > 0) || !double.IsFinite(DoseGy))
        {
            throw new ArgumentException($"Prescription dose must be positive, got {DoseGy} Gy.");
        }

        if (Fractions < 1)
        {
            throw new ArgumentException($"Fractions must be at least 1, got {Fractions}.");
        }
    }
}
