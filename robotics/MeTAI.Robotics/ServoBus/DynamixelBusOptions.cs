namespace MeTAI.Robotics.ServoBus;

/// <summary>Options of a <see cref="DynamixelBus"/>; validated once when the bus is created.</summary>
public sealed class DynamixelBusOptions
{
    /// <summary>Serial device (e.g. <c>/dev/ttyUSB0</c>, or a twin's pty slave path).</summary>
    public string PortName { get; set; } = "/dev/ttyUSB0";

    /// <summary>Baud rate (XM430 default 57 600; 1 000 000 is the usual fast setting).</summary>
    public int BaudRate { get; set; } = 1_000_000;

    /// <summary>How long to wait for a reply before a retry, in milliseconds.</summary>
    public int ReplyTimeoutMs { get; set; } = 10;

    /// <summary>Retries after a timeout or a CRC failure (0 = one attempt).</summary>
    public int Retries { get; set; } = 2;

    /// <summary>
    /// Move the bytes on a descriptor of the bus's own (<c>read</c>/<c>write</c>/<c>FIONREAD</c> on the calling thread,
    /// at its priority) rather than through System.IO.Ports, which on Unix hands every read and write to an I/O thread
    /// of its own at normal priority. On by default on Linux: measured with <c>metai bench servo-bus</c>, that thread
    /// costs about 1.1 ms per write and per reply even when the machine is idle (a 6-servo Sync Write + Sync Read cycle
    /// took 3.4 ms: at most ~290 goal writes a second on a bus meant for 1 kHz), and under load it held single writes for
    /// up to 100 ms (docs/safety.md, "Where the 40 ms went"). Elsewhere (no Linux termios) System.IO.Ports.
    /// </summary>
    public bool OwnDescriptor { get; set; } = OperatingSystem.IsLinux();

    /// <summary>
    /// The servos' Return Delay Time in µs (XM430 factory setting: 250 × 2 µs = 500 µs; the controller does not change
    /// it). A safety write waiting on a transaction goes out once the wire has been quiet this long plus three byte
    /// times: a servo that was going to answer would have started by then, so the write cannot collide with it.
    /// </summary>
    public double ReturnDelayUs { get; set; } = 500;

    /// <summary>
    /// The longest a safety write waits for a quiet wire (µs). Longer than a full 6-servo Sync Read reply train at
    /// 57 600 baud ≈ 6 × (0.5 ms + 15 bytes × 174 µs) ≈ 18.7 ms would hold torque off back; 3 ms covers the train at
    /// 1 Mbaud (6 × (0.5 + 0.15) ms) and bounds the wait when a babbling device keeps the wire busy, at the cost of
    /// perhaps one garbled reply (the IO thread repeats torque off every 20 ms anyway).
    /// </summary>
    public double SafetyWriteMaxWaitUs { get; set; } = 3000;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(PortName);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaudRate, 9600);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplyTimeoutMs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Retries);
        if (!(ReturnDelayUs >= 0 && ReturnDelayUs <= 508) || !(SafetyWriteMaxWaitUs > 0 && SafetyWriteMaxWaitUs <= 100_000))
        {
            throw new ArgumentOutOfRangeException(nameof(ReturnDelayUs), $"serial {PortName}: the Return Delay Time must be 0…508 µs (it is {ReturnDelayUs}) and the safety write's longest wait 0…100 000 µs (it is {SafetyWriteMaxWaitUs}).");
        }
    }
}
