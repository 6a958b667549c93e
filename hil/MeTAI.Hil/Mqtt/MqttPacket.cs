using System.Buffers.Binary;
using System.Text;

namespace MeTAI.Hil.Mqtt;

/// <summary>
/// Just enough MQTT 3.1.1/5 framing for the proxy: read one control packet (fixed header + remaining length + body) and
/// pick out the PUBLISH topic and QoS and the CONNECT user name. Nothing is re-encoded; packets pass through as bytes.
/// </summary>
internal static class MqttPacket
{
    /// <summary>Packet type PUBLISH.</summary>
    public const int Publish = 3;

    /// <summary>Packet type CONNECT.</summary>
    public const int Connect = 1;

    /// <summary>Reads one whole packet; null at end of stream.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] header = new byte[5];
        if (await stream.ReadAsync(header.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 0)
        {
            return null;
        }

        int remaining = 0, multiplier = 1, n = 1;
        while (true)
        {
            if (await stream.ReadAsync(header.AsMemory(n, 1), cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            byte b = header[n++];
            remaining += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                break;
            }

            multiplier *= 128;
            if (n == 5)
            {
                throw new InvalidDataException("MQTT remaining length longer than 4 bytes.");
            }
        }

        byte[] packet = new byte[n + remaining];
        header.AsSpan(0, n).CopyTo(packet);
        await stream.ReadExactlyAsync(packet.AsMemory(n, remaining), cancellationToken).ConfigureAwait(false);
        return packet;
    }

    /// <summary>Packet type (upper nibble of the first byte).</summary>
    public static int TypeOf(ReadOnlySpan<byte> packet) => packet[0] >> 4;

    private static int BodyStart(ReadOnlySpan<byte> packet)
    {
        int i = 1;
        while ((packet[i] & 0x80) != 0)
        {
            i++;
        }

        return i + 1;
    }

    /// <summary>Topic, QoS and payload range of a PUBLISH (MQTT 5 properties skipped when <paramref name="v5"/>).</summary>
    public static bool TryReadPublish(ReadOnlySpan<byte> packet, bool v5, out string topic, out int qos, out int payloadStart)
    {
        topic = "";
        qos = (packet[0] >> 1) & 3;
        payloadStart = 0;
        try
        {
            int i = BodyStart(packet);
            int len = BinaryPrimitives.ReadUInt16BigEndian(packet[i..]);
            topic = Encoding.UTF8.GetString(packet.Slice(i + 2, len));
            i += 2 + len;
            if (qos > 0)
            {
                i += 2;
            }

            if (v5)
            {
                int props = ReadVarInt(packet, ref i);
                i += props;
            }

            payloadStart = i;
            return i <= packet.Length;
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>User name and protocol level of a CONNECT.</summary>
    public static bool TryReadConnect(ReadOnlySpan<byte> packet, out string? userName, out bool v5)
    {
        userName = null;
        v5 = false;
        try
        {
            int i = BodyStart(packet);
            int nameLen = BinaryPrimitives.ReadUInt16BigEndian(packet[i..]);
            i += 2 + nameLen;
            byte level = packet[i++];
            byte flags = packet[i++];
            i += 2;
            v5 = level == 5;
            if (v5)
            {
                int props = ReadVarInt(packet, ref i);
                i += props;
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(packet[i..]);
            if ((flags & 0x04) != 0)
            {
                if (v5)
                {
                    int willProps = ReadVarInt(packet, ref i);
                    i += willProps;
                }

                i += 2 + BinaryPrimitives.ReadUInt16BigEndian(packet[i..]);
                i += 2 + BinaryPrimitives.ReadUInt16BigEndian(packet[i..]);
            }

            if ((flags & 0x80) != 0)
            {
                int len = BinaryPrimitives.ReadUInt16BigEndian(packet[i..]);
                userName = Encoding.UTF8.GetString(packet.Slice(i + 2, len));
            }

            return true;
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static int ReadVarInt(ReadOnlySpan<byte> p, ref int i)
    {
        int value = 0, multiplier = 1;
        while (true)
        {
            byte b = p[i++];
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            multiplier *= 128;
        }
    }
}
