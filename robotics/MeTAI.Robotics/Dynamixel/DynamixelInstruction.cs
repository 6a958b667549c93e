namespace MeTAI.Robotics.Dynamixel;

/// <summary>Dynamixel Protocol 2.0 instruction codes (ROBOTIS e-manual).</summary>
public static class DynamixelInstruction
{
    /// <summary>Ping (0x01).</summary>
    public const byte Ping = 0x01;

    /// <summary>Read (0x02): address (2 bytes LE) and length (2 bytes LE).</summary>
    public const byte Read = 0x02;

    /// <summary>Write (0x03): address (2 bytes LE) and data.</summary>
    public const byte Write = 0x03;

    /// <summary>Reg Write (0x04).</summary>
    public const byte RegWrite = 0x04;

    /// <summary>Action (0x05).</summary>
    public const byte Action = 0x05;

    /// <summary>Factory Reset (0x06).</summary>
    public const byte FactoryReset = 0x06;

    /// <summary>Reboot (0x08).</summary>
    public const byte Reboot = 0x08;

    /// <summary>Clear (0x10).</summary>
    public const byte Clear = 0x10;

    /// <summary>Status packet (0x55): the reply of a device, followed by an error byte.</summary>
    public const byte Status = 0x55;

    /// <summary>Sync Read (0x82): address, length, then one ID per device; each device replies in turn.</summary>
    public const byte SyncRead = 0x82;

    /// <summary>Sync Write (0x83): address, length, then (ID, data) per device; no reply.</summary>
    public const byte SyncWrite = 0x83;

    /// <summary>Bulk Read (0x92).</summary>
    public const byte BulkRead = 0x92;

    /// <summary>Bulk Write (0x93).</summary>
    public const byte BulkWrite = 0x93;

    /// <summary>Broadcast ID: every device executes the instruction; only Ping/SyncRead/BulkRead get replies.</summary>
    public const byte BroadcastId = 0xFE;
}
