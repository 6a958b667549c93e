namespace MeTAI.Simulation.Serial;

/// <summary>Options of a <see cref="ServoChainTwin"/>; validated once.</summary>
public sealed class ServoChainOptions
{
    /// <summary>The servos on the bus.</summary>
    public required IReadOnlyList<ServoTwinOptions> Servos { get; init; }

    /// <summary>Model number reported by Ping (XM430-W210: 1030).</summary>
    public ushort ModelNumber { get; init; } = 1030;

    /// <summary>Firmware version reported by Ping.</summary>
    public byte Firmware { get; init; } = 0x26;

    /// <summary>Throws when something is invalid.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Servos);
        if (Servos.Count == 0 || Servos.Select(s => s.Id).Distinct().Count() != Servos.Count || Servos.Any(s => s.Id is 0 or >= 0xFD))
        {
            throw new ArgumentException("Servo IDs must be unique, 1…252, and at least one servo is needed.");
        }

        if (Servos.Any(s => !(s.TimeConstantS > 0) || !(s.MaxVelocityCountsPerS > 0) || !(s.MaxAccelerationCountsPerS2 >= 0) || s.EncoderNoiseCounts < 0))
        {
            throw new ArgumentException("Servo time constants and velocity limits must be positive, acceleration limits and encoder noise non-negative.");
        }
    }
}
