using System.Buffers.Binary;
using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Robotics.ServoBus;

// The packets the bus's owner and the safety path write: built into caller-owned buffers, so nothing allocates.
public sealed partial class DynamixelBus
{
    /// <summary>Builds a broadcast Write of Torque Enable = 0 (no reply) into <paramref name="destination"/>.</summary>
    public static int BuildTorqueOff(Span<byte> destination)
    {
        Span<byte> scratch = stackalloc byte[8];
        return BuildWrite(destination, DynamixelInstruction.BroadcastId, XmControlTable.TorqueEnable, [0], scratch);
    }

    /// <summary>Builds a Write instruction.</summary>
    public static int BuildWrite(Span<byte> destination, byte id, ushort address, ReadOnlySpan<byte> data, Span<byte> scratch)
    {
        Span<byte> p = scratch[..(2 + data.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(p, address);
        data.CopyTo(p[2..]);
        return DynamixelPacket.WriteInstruction(destination, id, DynamixelInstruction.Write, p);
    }

    /// <summary>Builds a Sync Write instruction.</summary>
    public static int BuildSyncWrite(Span<byte> destination, ushort address, ushort length, ReadOnlySpan<byte> ids, ReadOnlySpan<byte> data, Span<byte> scratch)
    {
        if (data.Length != ids.Length * length)
        {
            throw new ArgumentException("Sync Write data must hold length bytes per ID.", nameof(data));
        }

        Span<byte> p = scratch[..(4 + ids.Length * (1 + length))];
        DynamixelPacket.WriteAddressLength(p, address, length);
        int w = 4;
        for (int i = 0; i < ids.Length; i++)
        {
            p[w++] = ids[i];
            data.Slice(i * length, length).CopyTo(p[w..]);
            w += length;
        }

        return DynamixelPacket.WriteInstruction(destination, DynamixelInstruction.BroadcastId, DynamixelInstruction.SyncWrite, p);
    }
}
