namespace MeTAI.Robotics.Dynamixel;

/// <summary>
/// The part of the XM430 control table the controller uses (addresses in bytes, values little-endian), and the
/// status-packet error byte's layout.
/// </summary>
public static class XmControlTable
{
    /// <summary>Model Number (2 bytes, EEPROM). XM430-W210 is 1030.</summary>
    public const ushort ModelNumber = 0;

    /// <summary>Firmware Version (1 byte).</summary>
    public const ushort FirmwareVersion = 6;

    /// <summary>ID (1 byte).</summary>
    public const ushort Id = 7;

    /// <summary>Torque Enable (1 byte): 0 off, 1 on.</summary>
    public const ushort TorqueEnable = 64;

    /// <summary>Hardware Error Status (1 byte): bit field, see the <c>HwError*</c> constants.</summary>
    public const ushort HardwareErrorStatus = 70;

    /// <summary>Bus Watchdog (1 byte): 0 off, 1…127 × 20 ms; the servo writes 0xFF (−1) when it has tripped.</summary>
    public const ushort BusWatchdog = 98;

    /// <summary>Profile Velocity (4 bytes): the servo's own speed limit in <see cref="ProfileVelocityUnitRpm"/> units; 0 = none.</summary>
    public const ushort ProfileVelocity = 112;

    /// <summary>Unit of Profile Velocity in revolutions per minute.</summary>
    public const double ProfileVelocityUnitRpm = 0.229;

    /// <summary>Profile Velocity value for a speed in rad/s (rounded down, at least 1).</summary>
    public static uint ProfileVelocityFor(double radPerS) =>
        (uint)Math.Max(1, Math.Floor(radPerS * 60 / (2 * Math.PI) / ProfileVelocityUnitRpm));

    /// <summary>Goal Position (4 bytes, signed counts).</summary>
    public const ushort GoalPosition = 116;

    /// <summary>Present Velocity (4 bytes, signed, units of <see cref="ProfileVelocityUnitRpm"/>); Present Position follows it.</summary>
    public const ushort PresentVelocity = 128;

    /// <summary>Present Position (4 bytes, signed counts).</summary>
    public const ushort PresentPosition = 132;

    /// <summary>Size of the table the twins model (RAM area up to Present Temperature and a little beyond).</summary>
    public const int Size = 147;

    /// <summary>Model number of the XM430-W210.</summary>
    public const ushort XM430W210Model = 1030;

    /// <summary>Counts per revolution of the XM430's absolute encoder.</summary>
    public const int CountsPerRevolution = 4096;

    /// <summary>Counts at the mechanical centre.</summary>
    public const int CenterCount = 2048;

    /// <summary>Bus Watchdog unit in milliseconds.</summary>
    public const int BusWatchdogUnitMs = 20;

    /// <summary>Status error byte bit 7: a hardware error is latched (read <see cref="HardwareErrorStatus"/>).</summary>
    public const byte StatusAlertBit = 0x80;

    /// <summary>Hardware error: input voltage out of range.</summary>
    public const byte HwErrorInputVoltage = 0x01;

    /// <summary>Hardware error: overheating.</summary>
    public const byte HwErrorOverheating = 0x04;

    /// <summary>Hardware error: motor encoder.</summary>
    public const byte HwErrorEncoder = 0x08;

    /// <summary>Hardware error: electrical shock.</summary>
    public const byte HwErrorElectricalShock = 0x10;

    /// <summary>Hardware error: overload.</summary>
    public const byte HwErrorOverload = 0x20;
}
