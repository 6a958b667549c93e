using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

/// <summary>The servo twin's own Protocol 2.0 codec against the ROBOTIS e-manual's published packets.</summary>
public sealed class Protocol2DecoderTests
{
    // ROBOTIS e-manual, Protocol 2.0 (copied in /work/shared/REFERENCE.md).
    private static readonly byte[] PingId1 = [0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x03, 0x00, 0x01, 0x19, 0x4E];
    private static readonly byte[] PingReplyXm430 = [0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x07, 0x00, 0x55, 0x00, 0x06, 0x04, 0x26, 0x65, 0x5D];
    private static readonly byte[] ReadPresentPosition = [0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x07, 0x00, 0x02, 0x84, 0x00, 0x04, 0x00, 0x1D, 0x15];
    private static readonly byte[] WriteGoal512 = [0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x09, 0x00, 0x03, 0x74, 0x00, 0x00, 0x02, 0x00, 0x00, 0xCA, 0x89];

    [Fact]
    public void Crc_CheckString_IsTheBuypassCheckValue()
    {
        // CRC-16/BUYPASS (poly 0x8005, init 0, not reflected) of "123456789" is 0xFEE8.
        Assert.Equal(0xFEE8, Protocol2Crc.Of("123456789"u8));
    }

    [Fact]
    public void Encode_EManualPackets_AreByteForByte()
    {
        byte[] buffer = new byte[64];
        int n = Protocol2Encoder.Instruction(buffer, 1, Protocol2.Ping, []);
        Assert.Equal(PingId1, buffer[..n]);
        n = Protocol2Encoder.Status(buffer, 1, 0, [0x06, 0x04, 0x26]);
        Assert.Equal(PingReplyXm430, buffer[..n]);
        n = Protocol2Encoder.Instruction(buffer, 1, Protocol2.Read, [0x84, 0x00, 0x04, 0x00]);
        Assert.Equal(ReadPresentPosition, buffer[..n]);
        n = Protocol2Encoder.Instruction(buffer, 1, Protocol2.Write, [0x74, 0x00, 0x00, 0x02, 0x00, 0x00]);
        Assert.Equal(WriteGoal512, buffer[..n]);
    }

    [Fact]
    public void Decode_EManualPackets_GiveTheirFields()
    {
        var decoder = new Protocol2Decoder();
        decoder.Append(PingId1);
        Assert.True(decoder.TryTake(out Protocol2Packet ping));
        Assert.Equal((1, Protocol2.Ping, 0), (ping.Id, ping.Instruction, ping.Parameters.Length));

        decoder.Append(PingReplyXm430);
        Assert.True(decoder.TryTake(out Protocol2Packet status));
        Assert.True(status.IsStatus);
        Assert.Equal(0, status.Error);
        Assert.Equal([0x06, 0x04, 0x26], status.Parameters.ToArray()); // model 1030 (XM430-W210), firmware 0x26

        decoder.Append(ReadPresentPosition);
        Assert.True(decoder.TryTake(out Protocol2Packet read));
        Assert.Equal(Protocol2.Read, read.Instruction);
        Assert.Equal([0x84, 0x00, 0x04, 0x00], read.Parameters.ToArray());

        decoder.Append(WriteGoal512);
        Assert.True(decoder.TryTake(out Protocol2Packet write));
        Assert.Equal(Protocol2.Write, write.Instruction);
        Assert.Equal([0x74, 0x00, 0x00, 0x02, 0x00, 0x00], write.Parameters.ToArray());
        Assert.False(decoder.TryTake(out _));
        Assert.Equal(0, decoder.CrcErrors);
    }

    [Fact]
    public void Decode_OneByteAtATime_FindsThePacketBehindNoise()
    {
        var decoder = new Protocol2Decoder();
        byte[] stream = [0x00, 0xFF, 0x12, 0xFF, 0xFF, 0x00, .. WriteGoal512];
        int packets = 0;
        foreach (byte b in stream)
        {
            decoder.Append([b]);
            while (decoder.TryTake(out Protocol2Packet p))
            {
                Assert.Equal(Protocol2.Write, p.Instruction);
                packets++;
            }
        }

        Assert.Equal(1, packets);
        Assert.Equal(0, decoder.CrcErrors);
    }

    [Fact]
    public void Decode_BadCrc_IsDroppedAndCounted()
    {
        var decoder = new Protocol2Decoder();
        byte[] bad = [.. WriteGoal512];
        bad[11] ^= 0x10; // a data bit
        decoder.Append(bad);
        Assert.False(decoder.TryTake(out _));
        Assert.Equal(1, decoder.CrcErrors);
        decoder.Append(PingId1);
        Assert.True(decoder.TryTake(out Protocol2Packet ping));
        Assert.Equal(Protocol2.Ping, ping.Instruction);
    }

    [Fact]
    public void Decode_PacketSwallowedByAGarbledLength_IsStillFound()
    {
        // A collision garbled a header's LEN into 40: the real packet behind it lies inside that span. The candidate
        // fails its CRC and the search starts again one byte after its header, finding the Ping.
        byte[] garbled = [0xFF, 0xFF, 0xFD, 0x00, 0x01, 0x28, 0x00, 0x03];
        byte[] tail = new byte[40];
        var decoder = new Protocol2Decoder();
        decoder.Append([.. garbled, .. PingId1, .. tail]);
        Assert.True(decoder.TryTake(out Protocol2Packet ping));
        Assert.Equal(Protocol2.Ping, ping.Instruction);
        Assert.Equal(1, decoder.CrcErrors);
    }

    [Fact]
    public void Stuffing_FfFfFdInTheParameters_GetsOneMoreFdAndComesBackOut()
    {
        // e-manual: FF FF FD inside INST…parameters is sent as FF FF FD FD; LEN counts the extra byte, the CRC covers it.
        byte[] parameters = [0x74, 0x00, 0xFF, 0xFF, 0xFD, 0x00];
        byte[] buffer = new byte[64];
        int n = Protocol2Encoder.Instruction(buffer, 1, Protocol2.Write, parameters);
        Assert.Equal(17, n);
        Assert.Equal([0x74, 0x00, 0xFF, 0xFF, 0xFD, 0xFD, 0x00], buffer[8..15]);
        Assert.Equal(10, buffer[5]); // LEN: INST + 7 stuffed parameter bytes + CRC
        var decoder = new Protocol2Decoder();
        decoder.Append(buffer.AsSpan(0, n));
        Assert.True(decoder.TryTake(out Protocol2Packet p));
        Assert.Equal(parameters, p.Parameters.ToArray());
    }

    [Theory]
    [InlineData(0x02, 0x00)] // LEN 2: no room for an instruction
    [InlineData(0x10, 0x10)] // LEN 4112: longer than the largest packet
    public void Decode_ImpossibleLength_IsRefusedAndCounted(byte lengthLow, byte lengthHigh)
    {
        var decoder = new Protocol2Decoder();
        decoder.Append([0xFF, 0xFF, 0xFD, 0x00, 0x01, lengthLow, lengthHigh, 0x01, 0x00, 0x00, .. PingId1]);
        Assert.True(decoder.TryTake(out Protocol2Packet ping));
        Assert.Equal(Protocol2.Ping, ping.Instruction);
        Assert.Equal(1, decoder.LengthErrors);
    }
}
