namespace MeTAI.Robotics.Training;

/// <summary>
/// How an attempt at a <see cref="TrainingTask"/> went (<see cref="TrainingScorer.Score"/>). Time, path length and
/// jerk cover the attempt up to the first sample within the target's tolerance (all of it when the target was not
/// reached); clearance, force and the corridor cover every sample.
/// </summary>
public sealed record TrainingScore
{
    /// <summary>The tool tip came within the task's tolerance of the target at some sample.</summary>
    public bool Reached { get; init; }

    /// <summary>From the first sample to the first one at the target (else to the last sample), s.</summary>
    public double TimeS { get; init; }

    /// <summary>Length of the tip's path over the same span (the polyline through the samples), mm.</summary>
    public double PathLengthMm { get; init; }

    /// <summary>Smallest distance from the tip to the vessel's surface over the attempt, mm (negative: inside the vessel).</summary>
    public double MinClearanceMm { get; init; }

    /// <summary>Largest restoring force the controller sent the master, N.</summary>
    public double PeakForceN { get; init; }

    /// <summary>Times the controller raised its CorridorViolation interlock during the attempt.</summary>
    public int CorridorViolations { get; init; }

    /// <summary>
    /// Dimensionless jerk (Hogan &amp; Sternad 2009) of the scored span: (T⁵ / L²) · ∫ |d³x/dt³|² dt; 720 for a
    /// minimum-jerk point-to-point move, larger for a less smooth one; 0 when the tip did not move (see
    /// <see cref="TrainingScorer.DimensionlessJerk"/>).
    /// </summary>
    public double DimensionlessJerk { get; init; }

    /// <summary>Time the tip spent outside the corridor, s (by the samples' flags).</summary>
    public double OutsideCorridorS { get; init; }

    /// <summary>Samples scored.</summary>
    public int Samples { get; init; }

    /// <summary>The attempt's score, 0–100 (<see cref="TrainingScorer.Score"/> gives the formula).</summary>
    public double Score { get; init; }
}
