namespace MeTAI.Simulation.Serial;

/// <summary>
/// The servo twin's CRC-16 for Dynamixel Protocol 2.0 (ROBOTIS e-manual): polynomial 0x8005, initial value 0, not
/// reflected, no final XOR, over every byte from the first header byte to the last (stuffed) parameter; sent low byte
/// first. Computed one bit at a time, a byte as it arrives, as a servo's firmware would — deliberately not the
/// controller's table-driven code, so that an error in either shows up against the other.
/// </summary>
internal static class Protocol2Crc
{
    /// <summary>The CRC after one more byte <paramref name="b"/>.</summary>
    public static ushort Update(ushort crc, byte b)
    {
        int c = crc ^ (b << 8);
        for (int bit = 0; bit < 8; bit++)
        {
            c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
        }

        return (ushort)c;
    }

    /// <summary>The CRC of <paramref name="bytes"/> from 0.</summary>
    public static ushort Of(ReadOnlySpan<byte> bytes)
    {
        ushort crc = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            crc = Update(crc, bytes[i]);
        }

        return crc;
    }
}
