using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeTAI.Dicom.Network;

namespace MeTAI.Dicom.Tests.Network;

/// <summary>
/// A hand-made peer on a raw socket: builds PDUs byte by byte (independently of our encoder) so that tests can send
/// exactly the malformed, oversized or out-of-order traffic a hostile peer would, and read what comes back.
/// </summary>
internal sealed class RawPeer : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;

    private RawPeer(int port)
    {
        _client = new TcpClient();
        _client.Connect(IPAddress.Loopback, port);
        _stream = _client.GetStream();
        _stream.ReadTimeout = 30_000;
    }

    public static RawPeer Connect(int port) => new(port);

    /// <summary>Connects and associates (one context per SOP class, explicit VR little endian); asserts the A-ASSOCIATE-AC.</summary>
    public static RawPeer Associated(int port, string calledAe, params string[] sopClasses)
    {
        var peer = new RawPeer(port);
        peer.Send(AssociateRequest(calledAe, "HOSTILE", [.. sopClasses.Select((c, i) => ((byte)(2 * i + 1), c, new[] { DicomNetworkUids.ExplicitVRLittleEndian }))]));
        (byte type, byte[] body) = peer.ReadPdu();
        Assert.True(type == 2, $"expected an A-ASSOCIATE-AC, got PDU type {type} ({Convert.ToHexString(body)})");
        return peer;
    }

    public void Send(byte[] bytes) => _stream.Write(bytes);

    /// <summary>Sends, ignoring a reset (the SCP may have closed already).</summary>
    public void TrySend(byte[] bytes)
    {
        try
        {
            _stream.Write(bytes);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Reads one PDU (type and body); throws at end of stream.</summary>
    public (byte Type, byte[] Body) ReadPdu()
    {
        byte[] header = new byte[6];
        _stream.ReadExactly(header);
        byte[] body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        _stream.ReadExactly(body);
        return (header[0], body);
    }

    /// <summary>Reads PDUs until an A-ABORT and returns its (source, reason); asserts that one comes.</summary>
    public (byte Source, byte Reason) ExpectAbort()
    {
        while (true)
        {
            (byte type, byte[] body) = ReadPdu();
            if (type == 7)
            {
                return (body[2], body[3]);
            }

            Assert.True(type == 4, $"expected an A-ABORT, got PDU type {type}");
        }
    }

    /// <summary>True when the SCP closes the connection (reads reach the end, or the connection is reset) within 30 s.</summary>
    public bool Closed()
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (_stream.Read(buffer) > 0)
            {
            }

            return true;
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return true;
        }
    }

    /// <summary>The next DIMSE command the SCP sends (a single-PDV command, as ours are).</summary>
    public DimseMessage ReadCommand()
    {
        (byte type, byte[] body) = ReadPdu();
        Assert.True(type == 4, $"expected a P-DATA-TF, got PDU type {type}");
        Assert.True((body[5] & 3) == 3, "expected a whole command in one PDV");
        return DimseMessage.Decode(body.AsMemory(6));
    }

    public void Dispose() => _client.Dispose();

    /// <summary>An A-ASSOCIATE-RQ with the given contexts, maximum PDU length and protocol version.</summary>
    public static byte[] AssociateRequest(string called, string calling, (byte Id, string AbstractSyntax, string[] Syntaxes)[] contexts, uint maxPdu = 16384, ushort version = 1)
    {
        var body = new List<byte>();
        body.AddRange([(byte)(version >> 8), (byte)version, 0, 0]);
        body.AddRange(AeField(called));
        body.AddRange(AeField(calling));
        body.AddRange(new byte[32]);
        body.AddRange(Item(0x10, Encoding.ASCII.GetBytes(DicomNetworkUids.ApplicationContext)));
        foreach ((byte id, string abstractSyntax, string[] syntaxes) in contexts)
        {
            var pc = new List<byte> { id, 0, 0, 0 };
            pc.AddRange(Item(0x30, Encoding.ASCII.GetBytes(abstractSyntax)));
            foreach (string ts in syntaxes)
            {
                pc.AddRange(Item(0x40, Encoding.ASCII.GetBytes(ts)));
            }

            body.AddRange(Item(0x20, [.. pc]));
        }

        byte[] max = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(max, maxPdu);
        body.AddRange(Item(0x50, [.. Item(0x51, max), .. Item(0x52, Encoding.ASCII.GetBytes("1.2.3.4"))]));
        return Pdu(1, [.. body]);
    }

    /// <summary>A PDU of <paramref name="type"/> with <paramref name="body"/>.</summary>
    public static byte[] Pdu(byte type, byte[] body)
    {
        byte[] pdu = new byte[6 + body.Length];
        pdu[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)body.Length);
        body.CopyTo(pdu, 6);
        return pdu;
    }

    /// <summary>A P-DATA-TF with one PDV.</summary>
    public static byte[] PData(byte context, bool command, bool last, ReadOnlySpan<byte> data)
    {
        byte[] body = new byte[6 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(body, (uint)(2 + data.Length));
        body[4] = context;
        body[5] = (byte)((command ? 1 : 0) | (last ? 2 : 0));
        data.CopyTo(body.AsSpan(6));
        return Pdu(4, body);
    }

    /// <summary>An A-ABORT by the service user.</summary>
    public static byte[] Abort() => Pdu(7, [0, 0, 0, 0]);

    /// <summary>An A-RELEASE-RQ.</summary>
    public static byte[] ReleaseRequest() => Pdu(5, [0, 0, 0, 0]);

    private static byte[] Item(byte type, byte[] value)
    {
        byte[] item = new byte[4 + value.Length];
        item[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(item.AsSpan(2), (ushort)value.Length);
        value.CopyTo(item, 4);
        return item;
    }

    private static byte[] AeField(string ae) => Encoding.ASCII.GetBytes(ae.PadRight(16));
}
