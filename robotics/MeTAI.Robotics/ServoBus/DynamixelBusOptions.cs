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

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(PortName);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaudRate, 9600);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReplyTimeoutMs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Retries);
    }
}
