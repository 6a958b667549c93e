using MeTAI.Robotics.Dynamixel;

namespace MeTAI.Robotics.Tests.Dynamixel;

/// <summary>Test vectors from the ROBOTIS e-manual, Dynamixel Protocol 2.0 (quoted in shared/REFERENCE.md).</summary>
public class DynamixelPacketTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void Crc_CheckValue_IsFee8()
    {
        // CRC-16/BUYPASS check value over ASCII "123456789".
        Assert.Equal(0xFEE8, DynamixelCrc.Compute("123456789"u8));
    }

    [Fact]
    public void WriteInstruction_PingId1_MatchesEManual()
    {
        byte[] buffer = new byte[32];
        int n = DynamixelPacket.WriteInstruction(buffer, 1, DynamixelInstruction.Ping, []);
        Assert.Equal(Hex("FF FF FD 00 01 03 00 01 19 4E"), buffer[..n]);
    }

    [Fact]
    public void WriteStatus_PingReplyXm430W210_MatchesEManual()
    {
        byte[] buffer = new byte[32];
        int n = DynamixelPacket.WriteStatus(buffer, 1, 0, [0x06, 0x04, 0x26]);
        Assert.Equal(Hex("FF FF FD 00 01 07 00 55 00 06 04 26 65 5D"), buffer[..n]);
    }

    [Fact]
    public void WriteInstruction_ReadPresentPosition_MatchesEManual()
    {
        byte[] buffer = new byte[32];
        byte[] p = new byte[4];
        DynamixelPacket.WriteAddressLength(p, XmControlTable.PresentPosition, 4);
        int n = DynamixelPacket.WriteInstruction(buffer, 1, DynamixelInstruction.Read, p);
        Assert.Equal(Hex("FF FF FD 00 01 07 00 02 84 00 04 00 1D 15"), buffer[..n]);
    }

    [Fact]
    public void WriteInstruction_Write512ToGoalPosition_MatchesEManual()
    {
        byte[] buffer = new byte[32];
        byte[] p = [0x74, 0x00, 0x00, 0x02, 0x00, 0x00];
        int n = DynamixelPacket.WriteInstruction(buffer, 1, DynamixelInstruction.Write, p);
        Assert.Equal(Hex("FF FF FD 00 01 09 00 03 74 00 00 02 00 00 CA 89"), buffer[..n]);
    }

    [Theory]
    [InlineData("FF FF FD 00 01 03 00 01 19 4E", 1, DynamixelInstruction.Ping, 0, "")]
    [InlineData("FF FF FD 00 01 07 00 55 00 06 04 26 65 5D", 1, DynamixelInstruction.Status, 0, "06 04 26")]
    [InlineData("FF FF FD 00 01 07 00 02 84 00 04 00 1D 15", 1, DynamixelInstruction.Read, 0, "84 00 04 00")]
    [InlineData("FF FF FD 00 01 09 00 03 74 00 00 02 00 00 CA 89", 1, DynamixelInstruction.Write, 0, "74 00 00 02 00 00")]
    public void FrameReader_EManualVectors_Decode(string packet, byte id, byte instruction, byte error, string parameters)
    {
        var reader = new DynamixelFrameReader();
        reader.Append(Hex(packet));
        Assert.True(reader.TryRead(out DynamixelFrame f));
        Assert.Equal(id, f.Id);
        Assert.Equal(instruction, f.Instruction);
        Assert.Equal(error, f.Error);
        Assert.Equal(Hex(parameters), f.Parameters.ToArray());
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Stuffing_HeaderPatternInParameters_IsStuffedAndRemoved()
    {
        byte[] raw = [0x10, 0xFF, 0xFF, 0xFD, 0x20, 0xFF, 0xFF, 0xFD];
        byte[] buffer = new byte[64];
        int n = DynamixelPacket.WriteInstruction(buffer, 3, DynamixelInstruction.Write, raw);

        // Two FD bytes inserted; LEN counts them.
        Assert.Equal(DynamixelPacket.Overhead + 1 + raw.Length + 2, n);
        Assert.Equal(1 + raw.Length + 2 + 2, buffer[5] | (buffer[6] << 8));
        Assert.Equal(Hex("FF FF FD FD"), buffer[9..13]);
        var reader = new DynamixelFrameReader();
        reader.Append(buffer.AsSpan(0, n));
        Assert.True(reader.TryRead(out DynamixelFrame f));
        Assert.Equal(raw, f.Parameters.ToArray());
    }

    [Fact]
    public void FrameReader_EveryFlippedBit_IsRejectedNeverDelivered()
    {
        byte[] good = Hex("FF FF FD 00 01 07 00 55 00 06 04 26 65 5D");
        int delivered = 0;
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            var reader = new DynamixelFrameReader();
            reader.Append(bad);
            while (reader.TryRead(out DynamixelFrame f))
            {
                // A flipped bit may only ever yield the identical packet (impossible) — count anything delivered.
                delivered++;
            }
        }

        Assert.Equal(0, delivered);
    }

    [Fact]
    public void FrameReader_CorruptThenGood_CountsCrcErrorAndResynchronises()
    {
        byte[] good = Hex("FF FF FD 00 01 07 00 55 00 06 04 26 65 5D");
        byte[] bad = (byte[])good.Clone();
        bad[10] ^= 0xFF;
        var reader = new DynamixelFrameReader();
        reader.Append([0x00, 0x13, 0xFF]);
        reader.Append(bad);
        reader.Append(good);
        Assert.True(reader.TryRead(out DynamixelFrame f));
        Assert.Equal(Hex("06 04 26"), f.Parameters.ToArray());
        Assert.Equal(1, reader.CrcErrors);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void FrameReader_SplitAcrossAppends_Decodes()
    {
        byte[] good = Hex("FF FF FD 00 01 09 00 03 74 00 00 02 00 00 CA 89");
        var reader = new DynamixelFrameReader();
        for (int i = 0; i < good.Length; i++)
        {
            Assert.False(reader.TryRead(out _));
            reader.Append(good.AsSpan(i, 1));
        }

        Assert.True(reader.TryRead(out DynamixelFrame f));
        Assert.Equal(DynamixelInstruction.Write, f.Instruction);
    }

    [Fact]
    public void FrameReader_RandomNoise_NeverDeliversAFrame()
    {
        var random = new Random(1234);
        var reader = new DynamixelFrameReader();
        byte[] noise = new byte[200_000];
        random.NextBytes(noise);
        reader.Append(noise.AsSpan(0, 1000));
        int delivered = 0;
        for (int k = 0; k < noise.Length; k += 1000)
        {
            reader.Append(noise.AsSpan(k, 1000));
            while (reader.TryRead(out _))
            {
                delivered++;
            }
        }

        Assert.Equal(0, delivered);
    }
}
