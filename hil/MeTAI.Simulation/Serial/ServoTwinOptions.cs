namespace MeTAI.Simulation.Serial;

/// <summary>Physical behaviour of one simulated XM430-like servo.</summary>
public sealed class ServoTwinOptions
{
    /// <summary>Dynamixel ID.</summary>
    public required byte Id { get; init; }

    /// <summary>Present position at start (counts).</summary>
    public int InitialPositionCounts { get; init; } = 2048;

    /// <summary>Time constant of the first-order position response (s).</summary>
    public double TimeConstantS { get; init; } = 0.015;

    /// <summary>Velocity limit (counts/s); 5200 ≈ 8 rad/s, the XM430-W210's no-load speed.</summary>
    public double MaxVelocityCountsPerS { get; init; } = 5200;

    /// <summary>
    /// Acceleration limit (counts/s²; 0: none). The default, 26 000 ≈ 40 rad/s², is well above what the controller
    /// commands (8–10 rad/s²), so it shapes steps and bursts, not normal motion.
    /// </summary>
    public double MaxAccelerationCountsPerS2 { get; init; } = 26_000;

    /// <summary>Encoder noise: each reported Present Position is off by a uniform integer in ±this many counts.</summary>
    public int EncoderNoiseCounts { get; init; }

    /// <summary>Seed of the encoder noise (reproducible runs).</summary>
    public int NoiseSeed { get; init; } = 1;
}
