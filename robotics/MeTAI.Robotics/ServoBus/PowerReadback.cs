namespace MeTAI.Robotics.ServoBus;

/// <summary>
/// The latest read-back of the watchdog power relay board, published by the servo IO thread for the loop.
/// </summary>
/// <param name="Configured">A relay board is configured (false: none; every other field is meaningless).</param>
/// <param name="PowerOn">Servo power reads on.</param>
/// <param name="EStopLoopClosed">The wired e-stop loop reads closed.</param>
/// <param name="TripCause">The board's Trip Cause register (<see cref="PowerRelayRegisters"/>).</param>
/// <param name="ReadTicks">Stopwatch ticks of the reading (0: none yet).</param>
/// <param name="LastFeedTicks">Stopwatch ticks of the controller's last feed (0: none).</param>
/// <param name="StuckDetail">Set once the relay read power on after the feed had stopped for longer than its stated drop
/// time (contacts welded): why, in words; latched for the life of the IO worker.</param>
public readonly record struct PowerReadback(bool Configured, bool PowerOn, bool EStopLoopClosed, byte TripCause, long ReadTicks,
    long LastFeedTicks, string? StuckDetail);
