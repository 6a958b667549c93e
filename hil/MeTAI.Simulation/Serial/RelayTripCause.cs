namespace MeTAI.Simulation.Serial;

/// <summary>Why the power relay board last dropped servo power (its Trip Cause register).</summary>
public enum RelayTripCause : byte
{
    /// <summary>Armed; no trip since.</summary>
    None = 0,

    /// <summary>No feed for the watchdog time (loop stalled, process killed, bus cut).</summary>
    FeedTimeout = 1,

    /// <summary>The wired e-stop loop opened (button pressed or cable cut).</summary>
    EStopLoopOpen = 2,

    /// <summary>Never armed since the board powered up.</summary>
    NotArmed = 3,
}
