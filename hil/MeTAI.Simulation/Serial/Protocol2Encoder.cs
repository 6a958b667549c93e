using System.Buffers.Binary;

namespace MeTAI.Simulation.Serial;

/// <summary>
/// The servo twin's own Protocol 2.0 encoder (status packets for its replies; instructions for its tests and for a
/// rogue talker on the wire): header FF FF FD 00, ID, LEN, body (instruction or 0x55 and the error byte, then the
/// parameters) stuffed by looking back at what was already written (an FD after FF FF inside the body gets one more
/// FD), LEN = stuffed body + 2, CRC over everything from the header on. Writes into the caller's buffer.
/// </summary>
internal static class Protocol2Encoder
{
    /// <summary>Largest packet <paramref name="parameterCount"/> parameters can make (every third byte stuffed).</summary>
    public static int MaxLength(int parameterCount) => 7 + 2 + (2 + parameterCount) * 4 / 3 + 2;

    /// <summary>Writes a status packet; returns its length on the wire.</summary>
    public static int Status(Span<byte> destination, byte id, byte error, ReadOnlySpan<byte> parameters) =>
        Encode(destination, id, Protocol2.Status, error, withError: true, parameters);

    /// <summary>Writes an instruction packet; returns its length on the wire.</summary>
    public static int Instruction(Span<byte> destination, byte id, byte instruction, ReadOnlySpan<byte> parameters) =>
        Encode(destination, id, instruction, 0, withError: false, parameters);

    private static int Encode(Span<byte> d, byte id, byte instruction, byte error, bool withError, ReadOnlySpan<byte> parameters)
    {
        d[0] = Protocol2.HeaderFf;
        d[1] = Protocol2.HeaderFf;
        d[2] = Protocol2.HeaderFd;
        d[3] = 0x00;
        d[4] = id;
        const int bodyStart = 7;
        int w = bodyStart;
        w = Put(d, w, instruction);
        if (withError)
        {
            w = Put(d, w, error);
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            w = Put(d, w, parameters[i]);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(d[5..], (ushort)(w - bodyStart + 2));
        BinaryPrimitives.WriteUInt16LittleEndian(d[w..], Protocol2Crc.Of(d[..w]));
        return w + 2;

        static int Put(Span<byte> d, int w, byte b)
        {
            d[w++] = b;

            // FF FF FD inside the body, not itself ending in a stuffed FD, would read as a header: one more FD follows.
            if (b == Protocol2.HeaderFd && w - bodyStart >= 3 && d[w - 2] == Protocol2.HeaderFf && d[w - 3] == Protocol2.HeaderFf)
            {
                d[w++] = Protocol2.HeaderFd;
            }

            return w;
        }
    }
}
