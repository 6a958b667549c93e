using System.Globalization;
using MeTAI.Robotics.Control;
using MeTAI.Simulation;

namespace MeTAI.Hil.Campaigns;

/// <summary>The settings a campaign's controllers ran with, read back from the rig options its workers start (not restated).</summary>
/// <param name="HeartbeatWatchdogMs">Haptic heartbeat watchdog.</param>
/// <param name="PoseWatchdogMs">Master pose watchdog.</param>
/// <param name="ServoTimeoutMs">Servo feedback timeout.</param>
/// <param name="TrackingLagMs">Tracking-error look-back.</param>
/// <param name="RateHz">Control loop rate.</param>
/// <param name="SpinMarginUs">Loop spin margin before each deadline.</param>
/// <param name="ReplyTimeoutMs">Serial reply timeout.</param>
/// <param name="Retries">Serial retries.</param>
/// <param name="BusWatchdogMs">Servo-side bus watchdog armed at power-up.</param>
/// <param name="Realtime">The rigs ran as deployed (SCHED_FIFO loop, IO and hardware twins).</param>
/// <param name="EStopWatchdogMs">E-stop device watchdog.</param>
/// <param name="RelayOffMs">T_relay: from the power relay's last feed to servo power off (0: no relay board).</param>
public sealed record CampaignSettings(double HeartbeatWatchdogMs, double PoseWatchdogMs, double ServoTimeoutMs, double TrackingLagMs,
    double RateHz, double SpinMarginUs, int ReplyTimeoutMs, int Retries, int BusWatchdogMs, bool Realtime, double EStopWatchdogMs = 250, double RelayOffMs = 0)
{
    /// <summary>Reads the settings out of a campaign rig's options.</summary>
    public static CampaignSettings Of(SimulatedRigOptions rig)
    {
        ArgumentNullException.ThrowIfNull(rig);
        ControllerOptions c = rig.Controller;
        return new CampaignSettings(c.HeartbeatWatchdogMs, c.PoseWatchdogMs, c.ServoTimeoutMs, c.TrackingLagMs, c.RateHz, c.SpinMarginUs,
            rig.ReplyTimeoutMs, rig.Retries, rig.ServoIo.BusWatchdog20Ms * 20, rig.Realtime, c.EStopWatchdogMs,
            rig.ServoIo.PowerRelayId is null ? 0 : rig.ServoIo.RelayOffMs);
    }

    /// <summary>True when every controller watchdog and timeout is the shipped default (<see cref="ControllerOptions"/>).</summary>
    public bool AreShippedDefaults
    {
        get
        {
            var d = new ControllerOptions();
            return HeartbeatWatchdogMs == d.HeartbeatWatchdogMs && PoseWatchdogMs == d.PoseWatchdogMs && ServoTimeoutMs == d.ServoTimeoutMs
                && TrackingLagMs == d.TrackingLagMs && RateHz == d.RateHz && EStopWatchdogMs == d.EStopWatchdogMs;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"heartbeat watchdog {HeartbeatWatchdogMs:0.###} ms, pose watchdog {PoseWatchdogMs:0.###} ms, servo timeout {ServoTimeoutMs:0.###} ms, tracking lag {TrackingLagMs:0.###} ms, e-stop watchdog {EStopWatchdogMs:0.###} ms, T_relay {RelayOffMs:0.###} ms, {RateHz:0.###} Hz, reply timeout {ReplyTimeoutMs} ms × {Retries + 1}, bus watchdog {BusWatchdogMs} ms{(Realtime ? ", real-time scheduling" : "")}");
}
