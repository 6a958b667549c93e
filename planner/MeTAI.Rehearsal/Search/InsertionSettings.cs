namespace MeTAI.Rehearsal.Search;

/// <summary>How a candidate insertion is simulated.</summary>
public sealed record InsertionSettings
{
    /// <summary>Insertion speed along the path, mm/s (robotic and manual insertions: a few mm/s to a few cm/s).</summary>
    public double SpeedMmPerS { get; init; } = 20;

    /// <summary>The needle starts this far outside the skin entry point, mm.</summary>
    public double StandoffMm { get; init; } = 10;

    /// <summary>Simulated time after the tip reaches the target, for the tissue to settle, s.</summary>
    public double SettleSeconds { get; init; } = 0.2;

    /// <summary>Spacing of the embedded boundary points of avoided ROIs, mm.</summary>
    public double ClearancePointSpacingMm { get; init; } = 2;

    /// <summary>Checks ranges.</summary>
    public void Validate()
    {
        if (!(SpeedMmPerS > 0) || !(StandoffMm > 0) || !(SettleSeconds >= 0) || !(ClearancePointSpacingMm > 0)
            || !double.IsFinite(SpeedMmPerS + StandoffMm + SettleSeconds + ClearancePointSpacingMm))
        {
            throw new ArgumentException("Insertion settings must be positive and finite.");
        }
    }
}
