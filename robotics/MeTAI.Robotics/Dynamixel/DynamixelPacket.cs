using System.Buffers.Binary;

namespace MeTAI.Robotics.Dynamixel;

/// <summary>
/// Encodes Dynamixel Protocol 2.0 packets: <c>FF FF FD 00 | ID | LEN_L LEN_H | INST | params | CRC_L CRC_H</c> with
/// LEN = stuffed params + 3, byte stuffing (<c>FF FF FD</c> → <c>FF FF FD FD</c>) from INST to the last parameter,
/// and CRC-16/BUYPASS over the stuffed packet. Writes into caller buffers; never allocates.
/// </summary>
public static class DynamixelPacket
{
    /// <summary>Header bytes and the reserved byte.</summary>
    public static ReadOnlySpan<byte> Header => [0xFF, 0xFF, 0xFD, 0x00];

    /// <summary>Bytes around the body: header (4) + ID (1) + LEN (2) + CRC (2).</summary>
    public const int Overhead = 9;

    /// <summary>Largest buffer an instruction with <paramref name="parameterCount"/> parameters can need (worst-case stuffing).</summary>
    public static int MaxEncodedLength(int parameterCount) => Overhead + 2 + parameterCount + parameterCount / 3 + 1;

    /// <summary>Writes an instruction packet and returns its length.</summary>
    public static int WriteInstruction(Span<byte> destination, byte id, byte instruction, ReadOnlySpan<byte> parameters) =>
        WritePacket(destination, id, instruction, hasError: false, 0, parameters);

    /// <summary>Writes a status packet (INST 0x55, then <paramref name="error"/>, then parameters) and returns its length.</summary>
    public static int WriteStatus(Span<byte> destination, byte id, byte error, ReadOnlySpan<byte> parameters) =>
        WritePacket(destination, id, DynamixelInstruction.Status, hasError: true, error, parameters);

    private static int WritePacket(Span<byte> destination, byte id, byte instruction, bool hasError, byte error, ReadOnlySpan<byte> parameters)
    {
        Header.CopyTo(destination);
        destination[4] = id;
        int w = 7;

        // Stuff INST, [ERR,] params as one sequence: after any raw FF FF FD an extra FD follows.
        int ff = 0;
        Put(destination, ref w, ref ff, instruction);
        if (hasError)
        {
            Put(destination, ref w, ref ff, error);
        }

        foreach (byte b in parameters)
        {
            Put(destination, ref w, ref ff, b);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination[5..], (ushort)(w - 7 + 2));
        ushort crc = DynamixelCrc.Compute(destination[..w]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[w..], crc);
        return w + 2;
    }

    private static void Put(Span<byte> destination, ref int w, ref int ffRun, byte b)
    {
        destination[w++] = b;
        if (b == 0xFD && ffRun >= 2)
        {
            destination[w++] = 0xFD;
            ffRun = 0;
            return;
        }

        ffRun = b == 0xFF ? ffRun + 1 : 0;
    }

    /// <summary>
    /// Removes byte stuffing in place from a body (INST … last parameter) and returns the unstuffed length.
    /// </summary>
    public static int Unstuff(Span<byte> body)
    {
        int r = 0, w = 0, ffRun = 0;
        while (r < body.Length)
        {
            byte b = body[r++];
            body[w++] = b;
            if (b == 0xFD && ffRun >= 2)
            {
                // The stuffed FD that follows FF FF FD is dropped.
                if (r < body.Length && body[r] == 0xFD)
                {
                    r++;
                }

                ffRun = 0;
                continue;
            }

            ffRun = b == 0xFF ? ffRun + 1 : 0;
        }

        return w;
    }

    /// <summary>Writes the 4-byte parameters of a Read: address and length, little-endian.</summary>
    public static void WriteAddressLength(Span<byte> destination, ushort address, ushort length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination, address);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], length);
    }
}
