namespace MeTAI.Simulation.Serial;

/// <summary>Options of a <see cref="PowerRelayTwin"/>; validated once.</summary>
public sealed class PowerRelayOptions
{
    /// <summary>
    /// The board's Dynamixel ID on the servo bus. 100: clear of the arm's servo IDs (1…6) and of the broadcast ID; the
    /// controller's <c>ServoIoOptions.PowerRelayId</c> must match.
    /// </summary>
    public byte Id { get; init; } = 100;

    /// <summary>
    /// The relay's watchdog time (ms): the coil drops when no feed (a write that changes the Feed register) has arrived for
    /// this long. 45: longer than the controller's 40 ms servo timeout, so a bus glitch the controller rides through
    /// (feeds every 10 ms: three may be lost) never cuts power, and short enough that with a contact release of up to
    /// 5 ms servo power is off within the stated T_relay = 50 ms of the last feed (docs/safety.md).
    /// </summary>
    public double FeedTimeoutMs { get; init; } = 45;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Id is 0 or >= 0xFD || !(FeedTimeoutMs >= 5 && FeedTimeoutMs <= 1000))
        {
            throw new ArgumentException("PowerRelayOptions: the ID must be 1…252 and the feed timeout 5…1000 ms.");
        }
    }
}
