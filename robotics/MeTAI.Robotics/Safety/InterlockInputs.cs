using MeTAI.Robotics.Radiotherapy;
using MeTAI.Robotics.ServoBus;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// Everything one cycle's interlock evaluation reads, gathered by the control loop just before it (the servo reading and
/// the master sample first, then the e-stop, heartbeat, broker and linac inputs). Times are monotonic Stopwatch ticks,
/// joints radians.
/// </summary>
public readonly ref struct InterlockInputs
{
    /// <summary>This cycle's deadline (the loop's "now").</summary>
    public long NowTicks { get; init; }

    /// <summary>This cycle's number.</summary>
    public long Cycle { get; init; }

    /// <summary>The supervisor's state before it reacts to this cycle's interlocks.</summary>
    public SafetyState State { get; init; }

    /// <summary>The interlocks the supervisor holds active from the last cycle (edge detection).</summary>
    public Interlocks Active { get; init; }

    /// <summary>The e-stop was pressed at some moment since the last cycle (latched by the input, taken by the loop).</summary>
    public bool EStopPressLatched { get; init; }

    /// <summary>The e-stop input is pressed now.</summary>
    public bool EStopPressed { get; init; }

    /// <summary>Arrival of the e-stop device's last state with a newer sequence number, its heartbeat (0: none yet).</summary>
    public long EStopDeviceTicks { get; init; }

    /// <summary>Arrival of the last haptic-master heartbeat (0: none yet).</summary>
    public long HeartbeatTicks { get; init; }

    /// <summary>Arrival of the last master pose with a newer sequence number (0: none yet).</summary>
    public long PoseTicks { get; init; }

    /// <summary>The MQTT broker connection is up.</summary>
    public bool BrokerConnected { get; init; }

    /// <summary>A master sample has arrived and its operator-present (deadman) bit is set.</summary>
    public bool OperatorPresent { get; init; }

    /// <summary>A complete servo reading exists (the fields below describe it).</summary>
    public bool HaveFeedback { get; init; }

    /// <summary>OR of the status error bytes of the reading's replies (alert bit: a hardware error).</summary>
    public int StatusErrorOr { get; init; }

    /// <summary>Hardware Error Status per servo (joint order; 0: none).</summary>
    public ReadOnlySpan<byte> HardwareError { get; init; }

    /// <summary>A servo's bus watchdog read −1 (it stopped on silence).</summary>
    public bool WatchdogTripped { get; init; }

    /// <summary>When the reading's reply was complete.</summary>
    public long FeedbackTicks { get; init; }

    /// <summary>When the reading's request was sent (the servos sampled between this and <see cref="FeedbackTicks"/>).</summary>
    public long FeedbackRequestTicks { get; init; }

    /// <summary>Cycles of the goals that drove the servos when the reading was taken (−1: unknown).</summary>
    public (long From, long To) GoalCycles { get; init; }

    /// <summary>The reading's joint positions (rad).</summary>
    public ReadOnlySpan<double> MeasuredRad { get; init; }

    /// <summary>The linac's last status (only read with a beam gate configured).</summary>
    public LinacReading Linac { get; init; }

    /// <summary>The watchdog power relay's latest read-back (not configured: no relay rules).</summary>
    public PowerReadback Relay { get; init; }

    /// <summary>Sequence number of the last beam permit withdrawal; the linac must have acted on it (0: none).</summary>
    public long PermitWithdrawnSequence { get; init; }
}
