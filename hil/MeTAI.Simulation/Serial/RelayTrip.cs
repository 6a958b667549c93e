using System.Diagnostics;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// One trip of the power relay board: its cause, the Stopwatch ticks of the last feed before it, of the moment servo
/// power went off (0: it did not — welded contacts), of the trip itself (for a feed timeout: when the board's timer
/// expired) and of the moment the twin's thread noticed it (later only when that thread was descheduled).
/// </summary>
public sealed record RelayTrip(RelayTripCause Cause, long LastFeedTicks, long PowerOffTicks, long TripTicks, long NoticedTicks)
{
    /// <summary>How late the twin's thread noticed the trip (ms): the simulation's scheduling, not the modelled relay.</summary>
    public double NoticedLateMs => (NoticedTicks - TripTicks) * 1e3 / Stopwatch.Frequency;

    /// <summary>Last feed → servo power off (ms), the figure the stated T_relay bounds; NaN when power did not go off.</summary>
    public double FeedToPowerOffMs => PowerOffTicks == 0 ? double.NaN : (PowerOffTicks - LastFeedTicks) * 1e3 / Stopwatch.Frequency;
}
