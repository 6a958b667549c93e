namespace MeTAI.Robotics.Dynamixel;

/// <summary>
/// CRC-16/BUYPASS as Dynamixel Protocol 2.0 uses it: polynomial 0x8005, initial value 0, not reflected, no final XOR
/// (check value of "123456789" is 0xFEE8). Computed over the whole packet from the first header byte to the last
/// parameter, after byte stuffing, and sent low byte first.
/// </summary>
public static class DynamixelCrc
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>CRC of <paramref name="data"/>, optionally continuing from <paramref name="crc"/>.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data, ushort crc = 0)
    {
        foreach (byte b in data)
        {
            crc = (ushort)((crc << 8) ^ Table[((crc >> 8) ^ b) & 0xFF]);
        }

        return crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int n = 0; n < 256; n++)
        {
            int c = n << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 0x8000) != 0 ? (c << 1) ^ 0x8005 : c << 1;
            }

            table[n] = (ushort)c;
        }

        return table;
    }
}
