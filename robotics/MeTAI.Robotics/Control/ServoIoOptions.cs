namespace MeTAI.Robotics.Control;

/// <summary>Options of the servo IO thread; validated once.</summary>
public sealed class ServoIoOptions
{
    /// <summary>Bus Watchdog value written at power-up (× 20 ms); servos stop when the controller stops talking.</summary>
    public byte BusWatchdog20Ms { get; set; } = 5;

    /// <summary>Read Hardware Error Status and Bus Watchdog every this many transactions.</summary>
    public int StatusPollEvery { get; set; } = 20;

    /// <summary>While torque is off, the torque-off broadcast is repeated this often (ms).</summary>
    public double TorqueOffRepeatMs { get; set; } = 100;

    /// <summary>Try SCHED_FIFO (priority 70, below the loop's 80) for the IO thread; it is on the real-time path too.</summary>
    public bool UseRealtimeScheduling { get; set; }

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BusWatchdog20Ms, (byte)127);
        ArgumentOutOfRangeException.ThrowIfLessThan(StatusPollEvery, 1);
        if (!(TorqueOffRepeatMs >= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(TorqueOffRepeatMs), "TorqueOffRepeatMs must be at least 10 ms.");
        }
    }
}
