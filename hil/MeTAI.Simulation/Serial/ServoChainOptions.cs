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

    /// <summary>
    /// Baud rate of the emulated wire (bytes take 10 bits each, replies leave after the Return Delay Time once the wire is
    /// free), or null: replies leave at once, as before. Off by default: each reply then needs one more wake-up of the
    /// chain's thread, and at normal priority on the loaded 2-core machine a wake-up took longer than the 10 ms reply
    /// timeout often enough to fail power-up Pings (docs/safety.md); use it with <see cref="RealtimePriority"/>.
    /// </summary>
    public int? BaudRate { get; init; }

    /// <summary>
    /// Return Delay Time of every servo (µs): how long a servo waits after an instruction before replying. 0 as a fast
    /// chain is configured; the XM430 e-manual's factory value is 500 µs (register 9, 250 × 2 µs).
    /// </summary>
    public double ReturnDelayUs { get; init; }

    /// <summary>
    /// SCHED_FIFO priority of the thread serving the bus, or null (normal scheduling). Real servos answer from their own
    /// processors; on a shared machine the twin standing in for them must not wait behind other processes' work.
    /// </summary>
    public int? RealtimePriority { get; init; }

    /// <summary>
    /// The watchdog power relay board on the bus (<see cref="PowerRelayTwin"/>), which switches the servos' motor power:
    /// on by default, as the arm ships (servo power stays off until the controller arms and feeds it). Null: no board,
    /// the servos always have power (bus-level tests that drive the servos without a controller).
    /// </summary>
    public PowerRelayOptions? PowerRelay { get; init; } = new();

    /// <summary>Throws when something is invalid.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Servos);
        if (BaudRate is < 9600 || !(ReturnDelayUs >= 0 && ReturnDelayUs <= 508))
        {
            throw new ArgumentException("The baud rate must be at least 9600 and the Return Delay Time 0…508 µs.");
        }

        if (Servos.Count == 0 || Servos.Select(s => s.Id).Distinct().Count() != Servos.Count || Servos.Any(s => s.Id is 0 or >= 0xFD))
        {
            throw new ArgumentException("Servo IDs must be unique, 1…252, and at least one servo is needed.");
        }

        PowerRelay?.Validate();
        if (PowerRelay is { } relay && Servos.Any(s => s.Id == relay.Id))
        {
            throw new ArgumentException($"The power relay board's ID {relay.Id} is also a servo's.");
        }

        if (Servos.Any(s => !(s.TimeConstantS > 0) || !(s.MaxVelocityCountsPerS > 0) || !(s.MaxAccelerationCountsPerS2 >= 0) || s.EncoderNoiseCounts < 0))
        {
            throw new ArgumentException("Servo time constants and velocity limits must be positive, acceleration limits and encoder noise non-negative.");
        }
    }
}
