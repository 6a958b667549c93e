namespace MeTAI.Simulation.Serial;

/// <summary>
/// The power relay board's own Dynamixel Protocol 2.0 packet handling, written from the ROBOTIS e-manual and sharing no
/// code with the controller's codec (<c>MeTAI.Robotics.Dynamixel</c>), so a codec error on either side shows up on the
/// bus instead of cancelling out: a byte-at-a-time decoder (header FF FF FD 00, ID, length, instruction, parameters,
/// CRC-16 over everything before it; byte stuffing FF FF FD FD → FF FF FD removed from the parameters) and the status
/// packet encoder. The CRC is computed bit by bit (polynomial 0x8005, initial value 0, no reflection) rather than from
/// a table. Packets with a bad CRC are dropped, as a real device drops them. Used by the board's thread only.
/// </summary>
internal sealed class RelayBoardCodec
{
    private const int MaxLength = 256;
    private readonly byte[] _frame = new byte[7 + MaxLength];
    private int _count;
    private int _expected;

    /// <summary>Packets dropped for a bad CRC.</summary>
    public long CrcErrors { get; private set; }

    /// <summary>Bit-by-bit CRC-16 of Dynamixel Protocol 2.0 (e-manual "CRC calculation": polynomial x¹⁶+x¹⁵+x²+1).</summary>
    public static ushort Crc(ReadOnlySpan<byte> bytes)
    {
        ushort crc = 0;
        foreach (byte b in bytes)
        {
            crc ^= (ushort)(b << 8);
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x8005) : (ushort)(crc << 1);
            }
        }

        return crc;
    }

    /// <summary>
    /// Feeds one byte from the wire; returns true when it completed a packet with a good CRC, then
    /// <paramref name="packet"/> holds ID, instruction and unstuffed parameters.
    /// </summary>
    public bool Push(byte b, out RelayBoardPacket packet)
    {
        packet = default;
        switch (_count)
        {
            case 0 or 1:
                if (b != 0xFF)
                {
                    _count = 0;
                    return false;
                }

                break;
            case 2:
                if (b != 0xFD)
                {
                    // FF FF FF …: the last two bytes may still start a header.
                    _count = b == 0xFF ? 2 : 0;
                    return false;
                }

                break;
            case 3:
                if (b != 0x00)
                {
                    _count = 0;
                    return false;
                }

                break;
            default:
                break;
        }

        _frame[_count++] = b;
        if (_count == 7)
        {
            _expected = _frame[5] | (_frame[6] << 8);
            if (_expected < 3 || _expected > MaxLength)
            {
                _count = 0;
            }

            return false;
        }

        if (_count < 7 || _count < 7 + _expected)
        {
            return false;
        }

        _count = 0;
        int total = 7 + _expected;
        ushort sent = (ushort)(_frame[total - 2] | (_frame[total - 1] << 8));
        if (Crc(_frame.AsSpan(0, total - 2)) != sent)
        {
            CrcErrors++;
            return false;
        }

        int paramCount = Unstuff(_frame.AsSpan(8, _expected - 3));
        packet = new RelayBoardPacket(_frame[4], _frame[7], _frame.AsSpan(8, paramCount).ToArray());
        return true;
    }

    /// <summary>Writes a status packet (instruction 0x55) into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteStatus(Span<byte> destination, byte id, byte error, ReadOnlySpan<byte> parameters)
    {
        // Stuff first: FF FF FD inside the parameters gains an FD.
        Span<byte> stuffed = stackalloc byte[2 * parameters.Length + 2];
        int n = 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            stuffed[n++] = parameters[i];
            if (i >= 2 && parameters[i] == 0xFD && parameters[i - 1] == 0xFF && parameters[i - 2] == 0xFF)
            {
                stuffed[n++] = 0xFD;
            }
        }

        int length = n + 4;
        destination[0] = 0xFF;
        destination[1] = 0xFF;
        destination[2] = 0xFD;
        destination[3] = 0x00;
        destination[4] = id;
        destination[5] = (byte)length;
        destination[6] = (byte)(length >> 8);
        destination[7] = 0x55;
        destination[8] = error;
        stuffed[..n].CopyTo(destination[9..]);
        int end = 9 + n;
        ushort crc = Crc(destination[..end]);
        destination[end] = (byte)crc;
        destination[end + 1] = (byte)(crc >> 8);
        return end + 2;
    }

    // Removes the stuffing byte after each FF FF FD in place; returns the new length.
    private static int Unstuff(Span<byte> p)
    {
        int w = 0;
        for (int r = 0; r < p.Length; r++)
        {
            p[w++] = p[r];
            if (w >= 3 && p[w - 1] == 0xFD && p[w - 2] == 0xFF && p[w - 3] == 0xFF && r + 1 < p.Length && p[r + 1] == 0xFD)
            {
                r++;
            }
        }

        return w;
    }
}
