namespace MeTAI.Robotics.Safety;

/// <summary>The reaction and documented detection of every interlock (docs/safety.md prints this table).</summary>
public static class InterlockCatalog
{
    /// <summary>Every single interlock bit, in bit order.</summary>
    public static IReadOnlyList<Interlocks> All { get; } =
    [
        Interlocks.EStop, Interlocks.HapticHeartbeat, Interlocks.ServoBus, Interlocks.ServoHardwareError,
        Interlocks.BrokerConnection, Interlocks.JointPositionLimit, Interlocks.JointVelocityLimit,
        Interlocks.TrackingError, Interlocks.CorridorViolation, Interlocks.DeadmanReleased, Interlocks.BeamOn,
        Interlocks.MasterPoseStale, Interlocks.ServoPower, Interlocks.EStopDeviceSilent,
    ];

    /// <summary>Bits whose reaction is <see cref="InterlockReaction.EStopTorqueOff"/>.</summary>
    public const Interlocks EStopClass = Interlocks.EStop | Interlocks.EStopDeviceSilent;

    /// <summary>Bits whose reaction is <see cref="InterlockReaction.Hold"/>.</summary>
    public const Interlocks HoldClass = Interlocks.HapticHeartbeat | Interlocks.BrokerConnection
        | Interlocks.CorridorViolation | Interlocks.DeadmanReleased | Interlocks.BeamOn | Interlocks.MasterPoseStale;

    /// <summary>Bits whose reaction is <see cref="InterlockReaction.FaultTorqueOff"/>.</summary>
    public const Interlocks FaultClass = Interlocks.ServoBus | Interlocks.ServoHardwareError
        | Interlocks.JointPositionLimit | Interlocks.JointVelocityLimit | Interlocks.TrackingError | Interlocks.ServoPower;

    /// <summary>The reaction to one interlock bit.</summary>
    public static InterlockReaction ReactionOf(Interlocks interlock) => interlock switch
    {
        _ when (interlock & EStopClass) != 0 => InterlockReaction.EStopTorqueOff,
        _ when (interlock & FaultClass) != 0 => InterlockReaction.FaultTorqueOff,
        _ => InterlockReaction.Hold,
    };

    /// <summary>How and how fast an interlock is detected (documentation; the tests check the bounds).</summary>
    public static string DetectionOf(Interlocks interlock) => interlock switch
    {
        Interlocks.EStop => "MQTT e-stop message, or the wired e-stop loop read open on the power relay board (read every 10 ms; the loop opening cuts servo power itself at once); seen by the next cycle, torque-off written from the loop thread in that cycle (≤ 2 cycles)",
        Interlocks.HapticHeartbeat => "no heartbeat for the watchdog time (30 ms); the first cycle past it holds (≤ watchdog + 2 cycles)",
        Interlocks.ServoBus => "no valid SyncRead reply for the servo timeout (40 ms) after retries, or a bus watchdog reads −1",
        Interlocks.ServoHardwareError => "status alert bit (every reply) or Hardware Error Status ≠ 0; next cycle after the reply",
        Interlocks.BrokerConnection => "MQTT client disconnected event; next cycle",
        Interlocks.JointPositionLimit => "measured position outside [min − margin, max + margin]; next cycle after the reply",
        Interlocks.JointVelocityLimit => "measured speed over ≥ 20 ms above limit × 1.5 + margin; next cycle after the reply",
        Interlocks.TrackingError => "|goal − measured| > per-joint tolerance while torque is on; next cycle after the reply",
        Interlocks.CorridorViolation => "commanded or measured tool deeper than the hold depth beyond the corridor wall; same cycle",
        Interlocks.DeadmanReleased => "operator-present bit clear in the master's pose message; next cycle",
        Interlocks.BeamOn => "with a beam gate configured: the linac's beam/state says beam on, has not acknowledged the last permit withdrawal, or is older than 300 ms; next cycle",
        Interlocks.MasterPoseStale => "no master pose with a newer sequence number for the pose watchdog (30 ms), heartbeat or not (duplicates and replays do not count); the first cycle past it holds (≤ watchdog + 2 cycles)",
        Interlocks.ServoPower => "power relay read back every 10 ms: power off while torque is on, or no read-back for the servo timeout (40 ms) while the servos still answer (a silent bus is ServoBus), next cycle after the reading; power read on while the board reports a trip (its coil dropped) = welded contacts, in any state",
        Interlocks.EStopDeviceSilent => "no e-stop device state with a newer sequence number for the e-stop watchdog (250 ms; the device heartbeats every 50 ms): the first cycle past it latches EStop with torque off in that cycle (≤ watchdog + 2 cycles); in Disabled it refuses power-up",
        _ => throw new ArgumentOutOfRangeException(nameof(interlock), interlock, "Expected a single interlock bit."),
    };
}
