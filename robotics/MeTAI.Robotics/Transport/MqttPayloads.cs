using System.Buffers.Binary;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Control;

namespace MeTAI.Robotics.Transport;

/// <summary>
/// Compact little-endian binary payloads for high-rate topics (docs/mqtt-topics.md has the byte layouts).
/// Every payload starts with a format byte; a payload of the wrong length or format is rejected, never guessed.
/// </summary>
public static class MqttPayloads
{
    /// <summary>Format byte of a master pose.</summary>
    public const byte PoseFormat = 0x01;

    /// <summary>Format byte of a heartbeat.</summary>
    public const byte HeartbeatFormat = 0x02;

    /// <summary>Format byte of a force.</summary>
    public const byte ForceFormat = 0x03;

    /// <summary>Format byte of an e-stop state.</summary>
    public const byte EStopFormat = 0x04;

    /// <summary>Master pose: format, buttons (bit0 clutch, bit1 operator present), 2 reserved, seq i64, sent ticks i64,
    /// position 3×f64 (m), orientation w x y z 4×f64.</summary>
    public const int PoseLength = 4 + 8 + 8 + 24 + 32;

    /// <summary>Heartbeat: format, 3 reserved, seq i64, sent ticks i64.</summary>
    public const int HeartbeatLength = 4 + 8 + 8;

    /// <summary>Force: format, flags (bit0 fixture active), 2 reserved, seq i64, sent ticks i64, force 3×f64 (N, master frame).</summary>
    public const int ForceLength = 4 + 8 + 8 + 24;

    /// <summary>E-stop: format, pressed (0/1), 2 reserved, seq i64.</summary>
    public const int EStopLength = 4 + 8;

    /// <summary>Writes a master sample.</summary>
    public static void WritePose(Span<byte> d, in MasterSample s)
    {
        d[0] = PoseFormat;
        d[1] = (byte)((s.Clutch ? 1 : 0) | (s.OperatorPresent ? 2 : 0));
        d[2] = 0;
        d[3] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], s.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(d[12..], s.SentTicks);
        WriteVec(d[20..], s.Pose.Position);
        Quat q = s.Pose.Orientation;
        BinaryPrimitives.WriteDoubleLittleEndian(d[44..], q.W);
        BinaryPrimitives.WriteDoubleLittleEndian(d[52..], q.X);
        BinaryPrimitives.WriteDoubleLittleEndian(d[60..], q.Y);
        BinaryPrimitives.WriteDoubleLittleEndian(d[68..], q.Z);
    }

    /// <summary>Reads a master sample; false for a malformed payload (wrong size/format, non-finite, non-unit quaternion).</summary>
    public static bool TryReadPose(ReadOnlySpan<byte> d, out MasterSample sample)
    {
        sample = default;
        if (d.Length != PoseLength || d[0] != PoseFormat || (d[1] & ~3) != 0)
        {
            return false;
        }

        Vec3 p = ReadVec(d[20..]);
        var q = new Quat(
            BinaryPrimitives.ReadDoubleLittleEndian(d[44..]), BinaryPrimitives.ReadDoubleLittleEndian(d[52..]),
            BinaryPrimitives.ReadDoubleLittleEndian(d[60..]), BinaryPrimitives.ReadDoubleLittleEndian(d[68..]));
        double norm = q.Norm;
        if (!p.IsFinite || !double.IsFinite(norm) || Math.Abs(norm - 1) > 1e-3)
        {
            return false;
        }

        sample = new MasterSample(new Pose(p, q.Normalized()), (d[1] & 1) != 0, (d[1] & 2) != 0,
            BinaryPrimitives.ReadInt64LittleEndian(d[4..]), BinaryPrimitives.ReadInt64LittleEndian(d[12..]));
        return true;
    }

    /// <summary>Writes a heartbeat.</summary>
    public static void WriteHeartbeat(Span<byte> d, long sequence, long sentTicks)
    {
        d[..4].Clear();
        d[0] = HeartbeatFormat;
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(d[12..], sentTicks);
    }

    /// <summary>Validates a heartbeat.</summary>
    public static bool TryReadHeartbeat(ReadOnlySpan<byte> d, out long sequence)
    {
        sequence = 0;
        if (d.Length != HeartbeatLength || d[0] != HeartbeatFormat)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(d[4..]);
        return true;
    }

    /// <summary>Writes a force.</summary>
    public static void WriteForce(Span<byte> d, Vec3 forceN, bool fixtureActive, long sequence, long sentTicks)
    {
        d[..4].Clear();
        d[0] = ForceFormat;
        d[1] = (byte)(fixtureActive ? 1 : 0);
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(d[12..], sentTicks);
        WriteVec(d[20..], forceN);
    }

    /// <summary>Reads a force.</summary>
    public static bool TryReadForce(ReadOnlySpan<byte> d, out Vec3 forceN, out bool fixtureActive)
    {
        forceN = default;
        fixtureActive = false;
        if (d.Length != ForceLength || d[0] != ForceFormat)
        {
            return false;
        }

        fixtureActive = (d[1] & 1) != 0;
        forceN = ReadVec(d[20..]);
        return forceN.IsFinite;
    }

    /// <summary>Writes an e-stop state.</summary>
    public static void WriteEStop(Span<byte> d, bool pressed, long sequence)
    {
        d[..4].Clear();
        d[0] = EStopFormat;
        d[1] = (byte)(pressed ? 1 : 0);
        BinaryPrimitives.WriteInt64LittleEndian(d[4..], sequence);
    }

    /// <summary>Reads an e-stop state. A malformed e-stop payload reads as pressed: failing safe.</summary>
    public static bool ReadEStopPressed(ReadOnlySpan<byte> d) =>
        d.Length != EStopLength || d[0] != EStopFormat || d[1] != 0;

    /// <summary>
    /// Reads an e-stop state with its sequence number; false for a malformed payload (which the caller must still read
    /// as pressed: <see cref="ReadEStopPressed"/>), whose sequence cannot be trusted as a heartbeat.
    /// </summary>
    public static bool TryReadEStop(ReadOnlySpan<byte> d, out bool pressed, out long sequence)
    {
        pressed = ReadEStopPressed(d);
        sequence = 0;
        if (d.Length != EStopLength || d[0] != EStopFormat || d[1] > 1)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(d[4..]);
        return true;
    }

    private static void WriteVec(Span<byte> d, Vec3 v)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(d, v.X);
        BinaryPrimitives.WriteDoubleLittleEndian(d[8..], v.Y);
        BinaryPrimitives.WriteDoubleLittleEndian(d[16..], v.Z);
    }

    private static Vec3 ReadVec(ReadOnlySpan<byte> d) => new(
        BinaryPrimitives.ReadDoubleLittleEndian(d), BinaryPrimitives.ReadDoubleLittleEndian(d[8..]), BinaryPrimitives.ReadDoubleLittleEndian(d[16..]));
}
