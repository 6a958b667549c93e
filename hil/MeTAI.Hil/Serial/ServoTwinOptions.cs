namespace MeTAI.Hil.Serial;

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
}
