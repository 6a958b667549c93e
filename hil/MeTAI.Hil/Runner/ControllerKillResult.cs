using MeTAI.Simulation.Serial;

namespace MeTAI.Hil.Runner;

/// <summary>
/// What a <see cref="ControllerKillRun"/> measured. Times come from one monotonic clock (Stopwatch), the relay's from
/// the relay board twin itself (<see cref="RelayTrip"/>).
/// </summary>
/// <param name="ControllerPid">The killed process.</param>
/// <param name="ExitCode">Its exit status as the OS reported it (128 + 9 after SIGKILL).</param>
/// <param name="SetupAttempts">Attempts needed to reach Following and moving (more than 1: load tripped something).</param>
/// <param name="JointSpeedAtKillRadS">The fastest joint's speed just before the kill (rad/s, the servo twins' true positions).</param>
/// <param name="GoalWritesBeforeKill">Sync Writes of goals the chain received in the 100 ms before the kill.</param>
/// <param name="TripCause">Why the relay board dropped servo power.</param>
/// <param name="LastFeedToPowerOffMs">The relay twin's last feed → contacts open (ms): what T_relay bounds.</param>
/// <param name="KillToPowerOffMs">SIGKILL sent → contacts open (ms).</param>
/// <param name="KillToLastFeedMs">SIGKILL sent → the last feed the board heard (ms; ≤ 0: it came before the kill; a
/// little above: a feed the process wrote before it died, which the twin read from the pty afterwards).</param>
/// <param name="NoticedLateMs">How late the twin's thread noticed the expired relay timer (ms; simulation scheduling, not the modelled relay).</param>
/// <param name="StatedRelayOffMs">The stated T_relay (ms).</param>
/// <param name="RelayWatchdogMs">The board's own feed watchdog (ms).</param>
/// <param name="FeedsAfterPowerOff">Feeds the board heard after the power went off.</param>
/// <param name="GoalWritesAfterPowerOff">Goal Sync Writes sent (lower bound of sending) after power went off.</param>
/// <param name="TorqueOnAfter">Servos with torque on at the end of the still window.</param>
/// <param name="MaxMoveAfterPowerOffCounts">The largest change of any servo's true position over the still window (counts).</param>
/// <param name="ControllerOutput">The controller's stdout and stderr.</param>
public sealed record ControllerKillResult(
    int ControllerPid,
    int ExitCode,
    int SetupAttempts,
    double JointSpeedAtKillRadS,
    int GoalWritesBeforeKill,
    RelayTripCause TripCause,
    double LastFeedToPowerOffMs,
    double KillToPowerOffMs,
    double KillToLastFeedMs,
    double NoticedLateMs,
    double StatedRelayOffMs,
    double RelayWatchdogMs,
    long FeedsAfterPowerOff,
    int GoalWritesAfterPowerOff,
    int TorqueOnAfter,
    double MaxMoveAfterPowerOffCounts,
    string ControllerOutput)
{
    /// <summary>Why each failed attempt to reach motion failed (the controller stopped on the way: load on a shared machine).</summary>
    public IReadOnlyList<string> SetupFailures { get; init; } = [];

    /// <summary>
    /// What broke the test's claims (empty: it holds): the process died of SIGKILL mid-motion (goals streaming, the arm
    /// moving), the relay tripped on its feed watchdog with servo power off within the stated T_relay of the last feed
    /// (the relay twin's own timing; the 5 ms between its 45 ms watchdog and T_relay = 50 ms is the contact release time,
    /// <see cref="MeTAI.Simulation.Serial.PowerRelayOptions.FeedTimeoutMs"/>), and after power off no feed, no goal, no
    /// torque and no motion.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var p = new List<string>();
        Check(ExitCode == 137, $"the controller exited with {ExitCode}, not 137 (SIGKILL)");
        Check(GoalWritesBeforeKill > 0, "no goal reached the servos in the 100 ms before the kill");
        Check(JointSpeedAtKillRadS > 1e-3, $"the arm was not moving at the kill ({JointSpeedAtKillRadS:G3} rad/s)");
        Check(TripCause == RelayTripCause.FeedTimeout, $"the relay tripped for {TripCause}, not its feed watchdog");
        Check(LastFeedToPowerOffMs <= StatedRelayOffMs, $"servo power went off {LastFeedToPowerOffMs:F1} ms after the last feed, over T_relay {StatedRelayOffMs:F0} ms");
        Check(FeedsAfterPowerOff == 0, $"{FeedsAfterPowerOff} feeds after power off");
        Check(GoalWritesAfterPowerOff == 0, $"{GoalWritesAfterPowerOff} goal writes after power off");
        Check(TorqueOnAfter == 0, $"{TorqueOnAfter} servos with torque on after power off");
        Check(MaxMoveAfterPowerOffCounts == 0, $"a servo moved {MaxMoveAfterPowerOffCounts:F1} counts after power off");
        return p;

        void Check(bool holds, string problem)
        {
            if (!holds)
            {
                p.Add(problem);
            }
        }
    }
}
