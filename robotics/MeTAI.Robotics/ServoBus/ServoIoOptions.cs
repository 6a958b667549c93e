namespace MeTAI.Robotics.ServoBus;

/// <summary>Options of the servo IO thread; validated once.</summary>
public sealed class ServoIoOptions
{
    /// <summary>Bus Watchdog value written at power-up (× 20 ms); servos stop when the controller stops talking.</summary>
    public byte BusWatchdog20Ms { get; set; } = 5;

    /// <summary>Read Hardware Error Status and Bus Watchdog every this many transactions.</summary>
    public int StatusPollEvery { get; set; } = 20;

    /// <summary>
    /// While torque is off, the torque-off broadcast is repeated this often (ms), so a servo that missed it (a cut
    /// cable, a bus that was silent when the e-stop came) is torqued off within this time of hearing the bus again.
    /// A broadcast has no reply: 14 bytes every 20 ms costs the bus nothing, and only while torque is off.
    /// </summary>
    public double TorqueOffRepeatMs { get; set; } = 20;

    /// <summary>
    /// Shortest IO cycle (µs): after a cycle's reads the IO thread waits for the loop's next goal, a torque-off request, or
    /// this long since the cycle began, whichever comes first. 1000: the 1 kHz loop's period — the loop takes one reading a
    /// cycle, so reading faster wastes the bus and the CPU. Unpaced, on the pty twin (no wire to slow it) the thread ran
    /// 2 700–6 700 cycles a second (<c>metai bench servo-bus</c>), and two HIL rigs' IO and twin threads at SCHED_FIFO
    /// starved the normal-priority kernel worker that moves pty bytes: 80 spurious ServoBus faults in 200 campaign runs
    /// (docs/safety.md). 0 turns the pacing off.
    /// </summary>
    public double MinCycleUs { get; set; } = 1000;

    /// <summary>
    /// Dynamixel ID of the watchdog power relay board on the bus (docs/safety.md), or null: none (servo power not
    /// switched by the controller — bus tests only; an arm ships with the board). 100: clear of the servo IDs.
    /// </summary>
    public byte? PowerRelayId { get; set; } = 100;

    /// <summary>
    /// The relay is fed (a Feed toggle) and read back (power, e-stop loop, trip cause) this often (ms). 10: the relay's
    /// 45 ms watchdog then survives three lost feeds, and a power loss or an opened e-stop loop is seen within 10 ms
    /// (plus a cycle); two short transactions every 10 ms take under 3 % of a 1 Mbaud bus.
    /// </summary>
    public double RelayFeedMs { get; set; } = 10;

    /// <summary>
    /// T_relay, the relay's stated time from the last feed to servo power off (ms): its 45 ms watchdog plus up to 5 ms for
    /// the contacts to open. Power-up waits up to twice this for power to read off before it arms the board; power read on
    /// while the board reports a trip means welded contacts: latched, and power-up is refused.
    /// </summary>
    public double RelayOffMs { get; set; } = 50;

    /// <summary>
    /// The relay is fed only while the control loop is alive: while torque is on, a new goal from the loop (it writes one
    /// every cycle, hold or motion) must have arrived within this time (ms). 20: twenty cycles — scheduling jitter on a
    /// loaded machine never reaches it, and a frozen loop loses servo power within 20 ms + T_relay.
    /// </summary>
    public double LoopStallMs { get; set; } = 20;

    /// <summary>Try SCHED_FIFO (priority 70, below the loop's 80) for the IO thread; it is on the real-time path too.</summary>
    public bool UseRealtimeScheduling { get; set; }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BusWatchdog20Ms, (byte)127);
        ArgumentOutOfRangeException.ThrowIfLessThan(StatusPollEvery, 1);
        if (!(MinCycleUs >= 0 && MinCycleUs <= 20_000))
        {
            throw new ArgumentOutOfRangeException(nameof(MinCycleUs), "MinCycleUs must be 0-20000 µs.");
        }

        if (PowerRelayId is 0 or >= 0xFD || !(RelayFeedMs >= 1 && RelayFeedMs <= 100) || !(RelayOffMs > RelayFeedMs && RelayOffMs <= 5000)
            || !(LoopStallMs >= 2 && LoopStallMs <= 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(PowerRelayId),
                "ServoIoOptions: PowerRelayId must be 1-252, RelayFeedMs 1-100, RelayOffMs above RelayFeedMs and at most 5000, LoopStallMs 2-1000.");
        }

        if (!(TorqueOffRepeatMs >= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(TorqueOffRepeatMs), "TorqueOffRepeatMs must be at least 10 ms.");
        }
    }
}
