using MeTAI.Core.Geometry;
using MeTAI.Robotics.Transport;

namespace MeTAI.Simulation.Haptics;

/// <summary>Options of a <see cref="HapticMasterTwin"/>; validated once.</summary>
public sealed class HapticMasterOptions
{
    /// <summary>Broker and this master's credentials (user name = master ID).</summary>
    public required MqttEndpoint Broker { get; init; }

    /// <summary>Robot whose topics to use.</summary>
    public required string Robot { get; init; }

    /// <summary>Master ID (its topics); defaults to the broker user name.</summary>
    public string? MasterId { get; init; }

    /// <summary>Pose publishing rate (Hz); haptic devices run at 1 kHz.</summary>
    public double PoseRateHz { get; init; } = 1000;

    /// <summary>Heartbeat rate (Hz); must beat the controller's 30 ms watchdog with margin.</summary>
    public double HeartbeatRateHz { get; init; } = 100;

    /// <summary>Before each pose deadline the publisher sleeps until this many µs remain, then spins.</summary>
    public double SpinMarginUs { get; init; } = 200;

    /// <summary>Stylus pose at start (master base frame, m).</summary>
    public Pose InitialPose { get; init; } = Pose.Identity;

    /// <summary>Operator-present (deadman) pressed at start.</summary>
    public bool OperatorPresent { get; init; } = true;

    /// <summary>
    /// SCHED_FIFO priority of the publishing thread, or null (normal scheduling). A real haptic device streams from its own
    /// processor; on a shared machine its twin must not wait behind other processes' work.
    /// </summary>
    public int? RealtimePriority { get; init; }

    /// <summary>Throws when something is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Broker);
        ArgumentException.ThrowIfNullOrWhiteSpace(Robot);
        if (!(PoseRateHz > 0 && PoseRateHz <= 5000) || !(HeartbeatRateHz > 0 && HeartbeatRateHz <= 1000) || !(SpinMarginUs >= 0))
        {
            throw new ArgumentException("Pose rate must be in (0, 5000] Hz, heartbeat rate in (0, 1000] Hz and the spin margin ≥ 0 µs.");
        }
    }
}
