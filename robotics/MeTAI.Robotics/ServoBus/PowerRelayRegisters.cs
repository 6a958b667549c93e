namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// The register map of the watchdog power relay board on the servo bus, as the controller uses it (1 byte each): Feed
/// (a write that changes it feeds the relay's watchdog), Reset (1 arms the board after a trip), and three read-only
/// registers read together: Power State (1: servo power on, read from a mirror contact), E-stop Input (1: the wired
/// e-stop loop is closed), Trip Cause (0 none, 1 feed timeout, 2 e-stop loop open, 3 never armed). docs/safety.md.
/// </summary>
public static class PowerRelayRegisters
{
    /// <summary>Feed (read/write).</summary>
    public const ushort Feed = 24;

    /// <summary>Reset (write 1 to arm).</summary>
    public const ushort Reset = 25;

    /// <summary>Power State (read-only); E-stop Input and Trip Cause follow it.</summary>
    public const ushort PowerState = 26;

    /// <summary>Bytes read from <see cref="PowerState"/> on: Power State, E-stop Input, Trip Cause.</summary>
    public const ushort StatusLength = 3;

    /// <summary>Trip cause: no feed for the relay's watchdog time.</summary>
    public const byte TripFeedTimeout = 1;

    /// <summary>Trip cause: the wired e-stop loop opened.</summary>
    public const byte TripEStopLoop = 2;

    /// <summary>Trip cause: not armed since the board started.</summary>
    public const byte TripNotArmed = 3;

    /// <summary>The trip cause in words (audit).</summary>
    public static string TripCauseText(byte cause) => cause switch
    {
        0 => "none",
        TripFeedTimeout => "feed timeout",
        TripEStopLoop => "wired e-stop loop open",
        TripNotArmed => "not armed",
        _ => $"unknown ({cause})",
    };
}
