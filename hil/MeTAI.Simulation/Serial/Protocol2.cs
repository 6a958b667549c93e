namespace MeTAI.Simulation.Serial;

/// <summary>
/// What the servo twin knows of Dynamixel Protocol 2.0 (ROBOTIS e-manual), written out here rather than taken from the
/// controller's code: the header, the instruction codes the twin answers, the broadcast ID, the status packet's code.
/// </summary>
internal static class Protocol2
{
    /// <summary>First header byte (FF FF FD, then the reserved 00).</summary>
    public const byte HeaderFf = 0xFF;

    /// <summary>Third header byte, and the byte a stuffed FF FF FD is followed by once more.</summary>
    public const byte HeaderFd = 0xFD;

    /// <summary>Ping.</summary>
    public const byte Ping = 0x01;

    /// <summary>Read: address (2 bytes LE), length (2 bytes LE).</summary>
    public const byte Read = 0x02;

    /// <summary>Write: address (2 bytes LE), data.</summary>
    public const byte Write = 0x03;

    /// <summary>Reboot.</summary>
    public const byte Reboot = 0x08;

    /// <summary>Status (the reply of a device), followed by its error byte.</summary>
    public const byte Status = 0x55;

    /// <summary>Sync Read: address, length, one ID per device; the devices reply in the order given.</summary>
    public const byte SyncRead = 0x82;

    /// <summary>Sync Write: address, length, then (ID, data) per device; no reply.</summary>
    public const byte SyncWrite = 0x83;

    /// <summary>Broadcast ID: every device executes the instruction.</summary>
    public const byte Broadcast = 0xFE;

    /// <summary>Status error: instruction error (an instruction the device does not know).</summary>
    public const byte InstructionError = 0x02;

    /// <summary>Status error: data range error.</summary>
    public const byte DataRangeError = 0x04;
}
