using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace MeTAI.Dicom.Network;

/// <summary>
/// Encodes the association PDUs (PS3.8 §9.3): a 6-byte header (type, reserved, big-endian length), the fixed fields,
/// then items of type, reserved byte and 16-bit big-endian length. AE titles are 16 bytes, space-padded. P-DATA-TF
/// PDUs are written by <see cref="DicomAssociation"/> straight from the message being sent.
/// </summary>
internal static class PduEncoder
{
    /// <summary>The Protocol Version field: bit 0, version 1.</summary>
    public const ushort ProtocolVersion = 0x0001;

    public static byte[] AssociateRequest(AssociateRequest rq)
    {
        var w = new ArrayBufferWriter<byte>(1024);
        Header(w, PduType.AssociateRequest);
        Fixed(w, rq.CalledAeTitle, rq.CallingAeTitle);
        Item(w, 0x10, Ascii(rq.ApplicationContextName));
        foreach (PresentationContextProposal pc in rq.PresentationContexts)
        {
            var sub = new ArrayBufferWriter<byte>(256);
            sub.Write<byte>([pc.Id, 0, 0, 0]);
            Item(sub, 0x30, Ascii(pc.AbstractSyntax));
            foreach (string ts in pc.TransferSyntaxes)
            {
                Item(sub, 0x40, Ascii(ts));
            }

            Item(w, 0x20, sub.WrittenSpan);
        }

        UserInfo(w, rq.UserInformation);
        return Finish(w);
    }

    public static byte[] AssociateAccept(AssociateAccept ac)
    {
        var w = new ArrayBufferWriter<byte>(512);
        Header(w, PduType.AssociateAccept);
        Fixed(w, ac.CalledAeTitle, ac.CallingAeTitle);
        Item(w, 0x10, Ascii(ac.ApplicationContextName));
        foreach (PresentationContextResult r in ac.Results)
        {
            var sub = new ArrayBufferWriter<byte>(64);
            sub.Write<byte>([r.Id, 0, (byte)r.Outcome, 0]);
            Item(sub, 0x40, Ascii(r.TransferSyntax));
            Item(w, 0x21, sub.WrittenSpan);
        }

        UserInfo(w, ac.UserInformation);
        return Finish(w);
    }

    public static byte[] AssociateReject(AssociateReject rj) => Short(PduType.AssociateReject, [0, rj.Result, rj.Source, rj.Reason]);

    public static byte[] ReleaseRequest() => Short(PduType.ReleaseRequest, [0, 0, 0, 0]);

    public static byte[] ReleaseResponse() => Short(PduType.ReleaseResponse, [0, 0, 0, 0]);

    /// <summary>An A-ABORT; <paramref name="source"/> 0 (service user) or 2 (service provider, with a reason).</summary>
    public static byte[] Abort(byte source, AbortReason reason) => Short(PduType.Abort, [0, 0, source, source == 2 ? (byte)reason : (byte)0]);

    /// <summary>An AE title as the 16-byte field: ASCII, space-padded.</summary>
    public static void AeTitle(Span<byte> field, string aeTitle)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(aeTitle.AsSpan(0, Math.Min(16, aeTitle.Length)), field);
    }

    private static byte[] Short(PduType type, ReadOnlySpan<byte> body)
    {
        var pdu = new byte[6 + body.Length];
        pdu[0] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)body.Length);
        body.CopyTo(pdu.AsSpan(6));
        return pdu;
    }

    private static void Header(ArrayBufferWriter<byte> w, PduType type)
    {
        // The length is filled in by Finish.
        w.Write<byte>([(byte)type, 0, 0, 0, 0, 0]);
    }

    private static void Fixed(ArrayBufferWriter<byte> w, string called, string calling)
    {
        Span<byte> f = w.GetSpan(68)[..68];
        f.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(f, ProtocolVersion);
        AeTitle(f.Slice(4, 16), called);
        AeTitle(f.Slice(20, 16), calling);
        w.Advance(68);
    }

    private static void UserInfo(ArrayBufferWriter<byte> w, UserInformation info)
    {
        var sub = new ArrayBufferWriter<byte>(128);
        Span<byte> max = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(max, info.MaxPduLength);
        Item(sub, 0x51, max);
        Item(sub, 0x52, Ascii(info.ImplementationClassUid));
        foreach (RoleSelection role in info.RoleSelections)
        {
            byte[] uid = Ascii(role.SopClassUid);
            var value = new byte[2 + uid.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(value, (ushort)uid.Length);
            uid.CopyTo(value, 2);
            value[^2] = role.ScuRole ? (byte)1 : (byte)0;
            value[^1] = role.ScpRole ? (byte)1 : (byte)0;
            Item(sub, 0x54, value);
        }

        if (info.ImplementationVersionName is { Length: > 0 } version)
        {
            Item(sub, 0x55, Ascii(version));
        }

        Item(w, 0x50, sub.WrittenSpan);
    }

    private static void Item(ArrayBufferWriter<byte> w, byte type, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"PDU item 0x{type:X2} of {value.Length} bytes does not fit its 16-bit length");
        }

        Span<byte> h = w.GetSpan(4);
        h[0] = type;
        h[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)value.Length);
        w.Advance(4);
        w.Write(value);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Finish(ArrayBufferWriter<byte> w)
    {
        byte[] pdu = w.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(pdu.Length - 6));
        return pdu;
    }
}
