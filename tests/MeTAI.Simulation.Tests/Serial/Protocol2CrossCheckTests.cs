using MeTAI.Robotics.Dynamixel;
using MeTAI.Simulation.Serial;

namespace MeTAI.Simulation.Tests.Serial;

/// <summary>
/// The twin's codec and the controller's, written apart, on random packets: every packet one side encodes the other
/// decodes to the same fields, and both encode it to the same bytes. Parameters are drawn heavy in FF and FD so that
/// byte stuffing is exercised in most packets.
/// </summary>
public sealed class Protocol2CrossCheckTests
{
    private static readonly byte[] Instructions = [0x01, 0x02, 0x03, 0x08, 0x82, 0x83, 0x92, 0x93];

    [Fact]
    public void RandomPackets_BothCodecsAgreeByteForByteAndFieldForField()
    {
        var random = new Random(19);
        byte[] twinBytes = new byte[1024];
        byte[] controllerBytes = new byte[1024];
        var twinDecoder = new Protocol2Decoder();
        var controllerReader = new DynamixelFrameReader(4096);
        int stuffed = 0;
        for (int k = 0; k < 5000; k++)
        {
            byte[] parameters = RandomParameters(random);
            byte id = (byte)random.Next(0, 0xFF);
            bool status = random.Next(2) == 0;
            byte instruction = Instructions[random.Next(Instructions.Length)];
            byte error = (byte)random.Next(0, 0x100);
            int nt = status ? Protocol2Encoder.Status(twinBytes, id, error, parameters) : Protocol2Encoder.Instruction(twinBytes, id, instruction, parameters);
            int nc = status ? DynamixelPacket.WriteStatus(controllerBytes, id, error, parameters) : DynamixelPacket.WriteInstruction(controllerBytes, id, instruction, parameters);
            Assert.Equal(controllerBytes.AsSpan(0, nc).ToArray(), twinBytes.AsSpan(0, nt).ToArray());
            stuffed += nt > parameters.Length + (status ? 11 : 10) ? 1 : 0;

            // The controller's packet through the twin's decoder, the twin's through the controller's.
            twinDecoder.Append(controllerBytes.AsSpan(0, nc));
            Assert.True(twinDecoder.TryTake(out Protocol2Packet t), $"packet {k}");
            Assert.Equal((id, status ? (byte)0x55 : instruction, status ? error : (byte)0), (t.Id, t.Instruction, t.Error));
            Assert.Equal(parameters, t.Parameters.ToArray());
            controllerReader.Append(twinBytes.AsSpan(0, nt));
            Assert.True(controllerReader.TryRead(out DynamixelFrame c), $"packet {k}");
            Assert.Equal((t.Id, t.Instruction, t.Error), (c.Id, c.Instruction, c.Error));
            Assert.Equal(parameters, c.Parameters.ToArray());
        }

        Assert.True(stuffed > 1000, $"only {stuffed} of 5000 packets needed byte stuffing");
    }

    [Fact]
    public void RandomStreamsWithNoiseAndBitFlips_BothDecodersTakeTheSamePackets()
    {
        // What a collision leaves on the wire: packets, noise between them, flipped bits inside some. Both sides must drop
        // the same garbled packets (CRC) and find the same good ones.
        var random = new Random(1919);
        byte[] packet = new byte[1024];
        for (int trial = 0; trial < 200; trial++)
        {
            var stream = new List<byte>();
            for (int k = 0; k < 20; k++)
            {
                int noise = random.Next(0, 6);
                for (int i = 0; i < noise; i++)
                {
                    stream.Add((byte)random.Next(0, 0x100));
                }

                int n = Protocol2Encoder.Instruction(packet, (byte)random.Next(0, 0xFE), Instructions[random.Next(Instructions.Length)], RandomParameters(random));
                if (random.Next(4) == 0)
                {
                    packet[random.Next(0, n)] ^= (byte)(1 << random.Next(8));
                }

                stream.AddRange(packet.AsSpan(0, n).ToArray());
            }

            byte[] bytes = [.. stream];
            Assert.Equal(TakeWithController(bytes), TakeWithTwin(bytes));
        }
    }

    private static byte[] RandomParameters(Random random)
    {
        byte[] p = new byte[random.Next(0, 40)];
        for (int i = 0; i < p.Length; i++)
        {
            int r = random.Next(8);
            p[i] = r < 3 ? (byte)0xFF : r < 5 ? (byte)0xFD : (byte)random.Next(0, 0x100);
        }

        return p;
    }

    private static List<string> TakeWithTwin(byte[] bytes)
    {
        var decoder = new Protocol2Decoder();
        var taken = new List<string>();
        foreach (byte[] chunk in bytes.Chunk(7))
        {
            decoder.Append(chunk);
            while (decoder.TryTake(out Protocol2Packet p))
            {
                taken.Add($"{p.Id:X2} {p.Instruction:X2} {p.Error:X2} {Convert.ToHexString(p.Parameters)}");
            }
        }

        return taken;
    }

    private static List<string> TakeWithController(byte[] bytes)
    {
        var reader = new DynamixelFrameReader(4096);
        var taken = new List<string>();
        reader.Append(bytes);
        while (reader.TryRead(out DynamixelFrame f))
        {
            taken.Add($"{f.Id:X2} {f.Instruction:X2} {f.Error:X2} {Convert.ToHexString(f.Parameters)}");
        }

        return taken;
    }
}
