namespace MeTAI.Simulation;

/// <summary>Physical settings of the simulated servos (a <see cref="SimulatedRig"/>'s servo chain; a HIL scenario's <c>servos:</c>).</summary>
public sealed record ServoSettings
{
    /// <summary>First-order time constant (ms).</summary>
    public double TimeConstantMs { get; init; } = 15;

    /// <summary>Acceleration limit (rad/s²).</summary>
    public double AccelerationRadS2 { get; init; } = 40;

    /// <summary>Encoder noise (± counts).</summary>
    public int EncoderNoiseCounts { get; init; }
}
