namespace MeTAI.Simulation;

/// <summary>The linac twin of a <see cref="SimulatedRig"/> (a HIL scenario's <c>linac:</c>).</summary>
public sealed record LinacSettings
{
    /// <summary>Dose rate (MU/min).</summary>
    public double DoseRateMuPerMin { get; init; } = 600;

    /// <summary>A permit older than this is treated as withdrawn (ms).</summary>
    public double PermitTimeoutMs { get; init; } = 150;
}
