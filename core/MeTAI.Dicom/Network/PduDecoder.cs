using System.Buffers.Binary;
using System.Text;

namespace MeTAI.Dicom.Network;

/// <summary>
/// Parses the bodies of association PDUs and P-DATA-TF PDUs (PS3.8 §9.3) strictly: every item must fit its PDU,
/// every mandatory item must be there once, presentation context IDs must be odd and unique. Anything else is a
/// <see cref="DicomProtocolException"/> carrying the A-ABORT reason. Unknown user-information sub-items
/// (asynchronous operations window, extended negotiation, user identity) are read past.
/// </summary>
internal static class PduDecoder
{
    private const int FixedFieldsLength = 68;

    /// <summary>An A-ASSOCIATE-RQ body (after the 6-byte header) and its protocol version field.</summary>
    public static (AssociateRequest Request, ushort ProtocolVersion) AssociateRequest(ReadOnlySpan<byte> body)
    {
        (ushort version, string called, string calling) = FixedFields(body, "A-ASSOCIATE-RQ");
        string? context = null;
        var contexts = new List<PresentationContextProposal>();
        UserInformation? user = null;
        foreach ((byte type, int start, int length) in Items(body, FixedFieldsLength, "A-ASSOCIATE-RQ"))
        {
            ReadOnlySpan<byte> value = body.Slice(start, length);
            switch (type)
            {
                case 0x10:
                    context = Once(context, Text(value), "application context");
                    break;
                case 0x20:
                    PresentationContextProposal pc = Proposal(value);
                    if (contexts.Exists(c => c.Id == pc.Id))
                    {
                        throw Invalid($"presentation context ID {pc.Id} is proposed twice");
                    }

                    contexts.Add(pc);
                    break;
                case 0x50:
                    user = Once(user, User(value), "user information");
                    break;
                default:
                    throw new DicomProtocolException(AbortReason.UnrecognizedPduParameter, $"A-ASSOCIATE-RQ holds an item of unknown type 0x{type:X2}");
            }
        }

        if (contexts.Count == 0)
        {
            throw Invalid("A-ASSOCIATE-RQ proposes no presentation context");
        }

        return (new AssociateRequest(called, calling, Required(context, "application context"), contexts, Required(user, "user information")), version);
    }

    /// <summary>An A-ASSOCIATE-AC body.</summary>
    public static AssociateAccept AssociateAccept(ReadOnlySpan<byte> body)
    {
        (_, string called, string calling) = FixedFields(body, "A-ASSOCIATE-AC");
        string? context = null;
        var results = new List<PresentationContextResult>();
        UserInformation? user = null;
        foreach ((byte type, int start, int length) in Items(body, FixedFieldsLength, "A-ASSOCIATE-AC"))
        {
            ReadOnlySpan<byte> value = body.Slice(start, length);
            switch (type)
            {
                case 0x10:
                    context = Once(context, Text(value), "application context");
                    break;
                case 0x21:
                    results.Add(Result(value));
                    break;
                case 0x50:
                    user = Once(user, User(value), "user information");
                    break;
                default:
                    throw new DicomProtocolException(AbortReason.UnrecognizedPduParameter, $"A-ASSOCIATE-AC holds an item of unknown type 0x{type:X2}");
            }
        }

        return new AssociateAccept(called, calling, Required(context, "application context"), results, Required(user, "user information"));
    }

    /// <summary>An A-ASSOCIATE-RJ body (4 bytes).</summary>
    public static AssociateReject AssociateReject(ReadOnlySpan<byte> body) => new(body[1], body[2], body[3]);

    /// <summary>
    /// The presentation data values of a P-DATA-TF body, appended to <paramref name="pdvs"/>: each a 4-byte length
    /// (≥ 2), the presentation context ID and the message control header (bit 0: command, bit 1: last fragment).
    /// </summary>
    public static void DataValues(ReadOnlyMemory<byte> body, List<Pdv> pdvs)
    {
        ReadOnlySpan<byte> span = body.Span;
        int pos = 0;
        int before = pdvs.Count;
        while (pos < span.Length)
        {
            if (span.Length - pos < 6)
            {
                throw Invalid($"P-DATA-TF ends with {span.Length - pos} bytes, too few for a presentation data value");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(span[pos..]);
            if (length < 2 || length > (uint)(span.Length - pos - 4))
            {
                throw Invalid($"presentation data value length {length} at byte {pos} does not fit the {span.Length - pos - 4} bytes left in its P-DATA-TF");
            }

            byte id = span[pos + 4];
            byte control = span[pos + 5];
            pdvs.Add(new Pdv(id, (control & 1) != 0, (control & 2) != 0, body.Slice(pos + 6, (int)length - 2)));
            pos += 4 + (int)length;
        }

        if (pdvs.Count == before)
        {
            throw Invalid("P-DATA-TF holds no presentation data value");
        }
    }

    private static (ushort Version, string Called, string Calling) FixedFields(ReadOnlySpan<byte> body, string pdu)
    {
        if (body.Length < FixedFieldsLength)
        {
            throw Invalid($"{pdu} of {body.Length} bytes is shorter than its {FixedFieldsLength} bytes of fixed fields");
        }

        return (BinaryPrimitives.ReadUInt16BigEndian(body), AeTitle(body.Slice(4, 16)), AeTitle(body.Slice(20, 16)));
    }

    /// <summary>The items (type, value start, value length) from <paramref name="start"/> to the end of <paramref name="body"/>.</summary>
    private static List<(byte Type, int Start, int Length)> Items(ReadOnlySpan<byte> body, int start, string where)
    {
        var items = new List<(byte, int, int)>();
        int pos = start;
        while (pos < body.Length)
        {
            if (body.Length - pos < 4)
            {
                throw Invalid($"{where} ends with {body.Length - pos} bytes, too few for an item header");
            }

            byte type = body[pos];
            int length = BinaryPrimitives.ReadUInt16BigEndian(body[(pos + 2)..]);
            if (length > body.Length - pos - 4)
            {
                throw Invalid($"item 0x{type:X2} in {where} claims {length} bytes, {body.Length - pos - 4} remain");
            }

            items.Add((type, pos + 4, length));
            pos += 4 + length;
        }

        return items;
    }

    private static PresentationContextProposal Proposal(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            throw Invalid("presentation context item shorter than 4 bytes");
        }

        byte id = value[0];
        CheckId(id);
        string? abstractSyntax = null;
        var syntaxes = new List<string>();
        foreach ((byte type, int start, int length) in Items(value, 4, $"presentation context {id}"))
        {
            string text = Text(value.Slice(start, length));
            switch (type)
            {
                case 0x30:
                    abstractSyntax = Once(abstractSyntax, text, $"abstract syntax of presentation context {id}");
                    break;
                case 0x40:
                    syntaxes.Add(text);
                    break;
                default:
                    throw new DicomProtocolException(AbortReason.UnrecognizedPduParameter, $"presentation context {id} holds a sub-item of unknown type 0x{type:X2}");
            }
        }

        if (syntaxes.Count == 0)
        {
            throw Invalid($"presentation context {id} proposes no transfer syntax");
        }

        return new PresentationContextProposal(id, Required(abstractSyntax, $"abstract syntax of presentation context {id}"), syntaxes);
    }

    private static PresentationContextResult Result(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4)
        {
            throw Invalid("presentation context result item shorter than 4 bytes");
        }

        byte id = value[0];
        CheckId(id);
        byte outcome = value[2];
        if (outcome > (byte)PresentationContextOutcome.TransferSyntaxesNotSupported)
        {
            throw Invalid($"presentation context {id} has result {outcome} (0–4 are defined)");
        }

        string syntax = string.Empty;
        foreach ((byte type, int start, int length) in Items(value, 4, $"presentation context {id}"))
        {
            if (type == 0x40)
            {
                syntax = Text(value.Slice(start, length));
            }
        }

        if (outcome == 0 && syntax.Length == 0)
        {
            throw Invalid($"presentation context {id} is accepted without a transfer syntax");
        }

        return new PresentationContextResult(id, (PresentationContextOutcome)outcome, syntax);
    }

    private static UserInformation User(ReadOnlySpan<byte> value)
    {
        uint? max = null;
        string? implementation = null, version = null;
        var roles = new List<RoleSelection>();
        foreach ((byte type, int start, int length) in Items(value, 0, "user information"))
        {
            ReadOnlySpan<byte> v = value.Slice(start, length);
            switch (type)
            {
                case 0x51:
                    if (length != 4)
                    {
                        throw Invalid($"maximum length sub-item of {length} bytes (4 expected)");
                    }

                    max = Once(max, BinaryPrimitives.ReadUInt32BigEndian(v), "maximum length");
                    break;
                case 0x52:
                    implementation = Once(implementation, Text(v), "implementation class UID");
                    break;
                case 0x54:
                    roles.Add(Role(v));
                    break;
                case 0x55:
                    version = Once(version, Text(v), "implementation version name");
                    break;
                default:
                    // 0x53 asynchronous operations window, 0x56/0x57 extended negotiation, 0x58/0x59 user identity:
                    // not negotiated (one operation at a time, no extended negotiation, no user identity).
                    break;
            }
        }

        return new UserInformation(Required(max, "maximum length sub-item"), Required(implementation, "implementation class UID"), version, roles);
    }

    private static RoleSelection Role(ReadOnlySpan<byte> v)
    {
        if (v.Length < 4)
        {
            throw Invalid("SCP/SCU role selection sub-item shorter than 4 bytes");
        }

        int uidLength = BinaryPrimitives.ReadUInt16BigEndian(v);
        if (uidLength != v.Length - 4)
        {
            throw Invalid($"SCP/SCU role selection sub-item of {v.Length} bytes holds a UID length of {uidLength}");
        }

        return new RoleSelection(Text(v.Slice(2, uidLength)), v[^2] == 1, v[^1] == 1);
    }

    private static void CheckId(byte id)
    {
        if ((id & 1) == 0)
        {
            throw Invalid($"presentation context ID {id} is even (IDs are odd, 1–255)");
        }
    }

    private static string AeTitle(ReadOnlySpan<byte> field) => Encoding.Latin1.GetString(field).Trim(' ', '\0');

    private static string Text(ReadOnlySpan<byte> value) => Encoding.Latin1.GetString(value).TrimEnd('\0', ' ');

    private static T Once<T>(T? existing, T value, string what)
    {
        if (existing is not null)
        {
            throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, $"{what} appears twice");
        }

        return value;
    }

    private static T Required<T>(T? value, string what) where T : class =>
        value ?? throw Invalid($"{what} is missing");

    private static T Required<T>(T? value, string what) where T : struct =>
        value ?? throw Invalid($"{what} is missing");

    private static DicomProtocolException Invalid(string message) => new(AbortReason.InvalidPduParameterValue, message);
}
