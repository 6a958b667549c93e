using System.Diagnostics;
using System.IO.Ports;
using MeTAI.Robotics.Dynamixel;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

/// <summary>
/// The half-duplex wire of the servo-chain twin: a master that writes while a status packet is on the wire corrupts
/// both. At 9 600 baud a 111-byte reply occupies the wire for 116 ms, so an instruction written right after the request
/// lands inside it however loaded the machine is; the controller's own decoder reads what arrives.
/// </summary>
public sealed class WireCollisionTests : IDisposable
{
    private const ushort ReadLength = 100; // reply: 11 + 100 bytes = 116 ms at 9 600 baud
    private readonly ServoChainTwin _twin;
    private readonly SerialPort _port;

    public WireCollisionTests()
    {
        _twin = new ServoChainTwin(new ServoChainOptions
        {
            BaudRate = 9600,
            Servos = [new ServoTwinOptions { Id = 1 }, new ServoTwinOptions { Id = 2 }],
            // These tests drive the servos themselves, without a controller to arm and feed a power relay.
            PowerRelay = null,
        });
        _twin.Start();
        _port = new SerialPort(_twin.SlavePath, 9600) { ReadTimeout = 50 };
        _port.Open();
    }

    public void Dispose()
    {
        _port.Dispose();
        _twin.Dispose();
    }

    [Fact]
    public void InstructionInsideAReplysWireWindow_BothAreLost()
    {
        byte[] read = Packet(DynamixelInstruction.Read, [0, 0, (byte)ReadLength, 0]);
        byte[] torqueOn = Packet(DynamixelInstruction.Write, [(byte)XmControlTable.TorqueEnable, 0, 1]);
        long before = Stopwatch.GetTimestamp();
        _port.Write(read, 0, read.Length);
        _port.Write(torqueOn, 0, torqueOn.Length); // the reply to the Read is on the wire now

        var reader = new DynamixelFrameReader(4096);
        int arrived = ReceiveInto(reader, 11 + ReadLength, TimeSpan.FromSeconds(3));
        Assert.Equal(11 + ReadLength, arrived); // its bytes still arrive (a collision garbles, it does not silence)
        Assert.False(reader.TryRead(out _), "no status packet survives the collision");
        Assert.False(_twin.Servo(1).TorqueEnabled, "the colliding Write reached no servo");
        Assert.Equal(1, _twin.Collisions);
        Assert.True(_twin.LastCollisionTicks > before);
        Assert.Equal(1, _twin.Instructions); // only the Read was heard whole
    }

    [Fact]
    public void MasterWaitsForTheReplyToEnd_NoCollision()
    {
        byte[] read = Packet(DynamixelInstruction.Read, [0, 0, (byte)ReadLength, 0]);
        byte[] torqueOn = Packet(DynamixelInstruction.Write, [(byte)XmControlTable.TorqueEnable, 0, 1]);
        var reader = new DynamixelFrameReader(4096);
        _port.Write(read, 0, read.Length);
        Assert.Equal(11 + ReadLength, ReceiveInto(reader, 11 + ReadLength, TimeSpan.FromSeconds(3)));
        Assert.True(reader.TryRead(out DynamixelFrame reply));
        Assert.Equal(ReadLength, reply.Parameters.Length);

        _port.Write(torqueOn, 0, torqueOn.Length);
        Assert.Equal(11, ReceiveInto(reader, 11, TimeSpan.FromSeconds(3)));
        Assert.True(reader.TryRead(out DynamixelFrame status));
        Assert.Equal(0, status.Error);
        Assert.True(_twin.Servo(1).TorqueEnabled);
        Assert.Equal(0, _twin.Collisions);
        Assert.Equal(0, _twin.LastCollisionTicks);
        Assert.Equal(0, reader.CrcErrors);
    }

    private static byte[] Packet(byte instruction, ReadOnlySpan<byte> parameters)
    {
        byte[] buffer = new byte[64];
        return buffer[..DynamixelPacket.WriteInstruction(buffer, 1, instruction, parameters)];
    }

    // Reads until `count` bytes have come or the time is up; returns how many came.
    private int ReceiveInto(DynamixelFrameReader reader, int count, TimeSpan limit)
    {
        byte[] buffer = new byte[256];
        int got = 0;
        var clock = Stopwatch.StartNew();
        while (got < count && clock.Elapsed < limit)
        {
            try
            {
                int n = _port.Read(buffer, 0, Math.Min(buffer.Length, count - got));
                reader.Append(buffer.AsSpan(0, n));
                got += n;
            }
            catch (TimeoutException)
            {
            }
        }

        return got;
    }
}
