namespace MeTAI.Dicom;

/// <summary>
/// A DICOM value representation (PS3.5 §6.2) and the facts a codec needs about it: whether explicit-VR encoding
/// uses a 32-bit length, the padding byte, whether its bytes are text in the Specific Character Set, and the size of
/// one binary value (for byte swapping and typed access).
/// </summary>
public sealed class DicomVR
{
    private static readonly Dictionary<ushort, DicomVR> ByCode = [];

    private DicomVR(string code, bool longLength, byte padding, VRKind kind, int unitSize, bool charsetText = false, bool multiValued = true)
    {
        Code = code;
        Has32BitLength = longLength;
        PaddingByte = padding;
        Kind = kind;
        UnitSize = unitSize;
        UsesCharacterSet = charsetText;
        SplitsOnBackslash = kind == VRKind.Text && multiValued;
        ByCode[Key(code[0], code[1])] = this;
    }

    /// <summary>Broad kinds of values.</summary>
    public enum VRKind
    {
        /// <summary>Character string values (padded with space, or NUL for UI).</summary>
        Text,

        /// <summary>Fixed-size binary numbers (US, SL, FD, AT, …).</summary>
        Binary,

        /// <summary>Byte or word streams (OB, OW, OF, UN, …).</summary>
        Bulk,

        /// <summary>Sequence of items.</summary>
        Sequence,
    }

    /// <summary>Two-letter code.</summary>
    public string Code { get; }

    /// <summary>True when explicit VR encoding writes two reserved bytes and a 32-bit length.</summary>
    public bool Has32BitLength { get; }

    /// <summary>Byte used to pad values to even length.</summary>
    public byte PaddingByte { get; }

    /// <summary>Kind of value.</summary>
    public VRKind Kind { get; }

    /// <summary>Size in bytes of one value for binary and word VRs (1 for text and OB/UN).</summary>
    public int UnitSize { get; }

    /// <summary>True when the text is encoded in the dataset's Specific Character Set (SH, LO, ST, LT, PN, UC, UT).</summary>
    public bool UsesCharacterSet { get; }

    /// <summary>True when multiple values are separated by backslashes.</summary>
    public bool SplitsOnBackslash { get; }

    /// <summary>True for text VRs.</summary>
    public bool IsText => Kind == VRKind.Text;

    /// <summary>Application Entity.</summary>
    public static readonly DicomVR AE = new("AE", false, 0x20, VRKind.Text, 1);

    /// <summary>Age String.</summary>
    public static readonly DicomVR AS = new("AS", false, 0x20, VRKind.Text, 1);

    /// <summary>Attribute Tag.</summary>
    public static readonly DicomVR AT = new("AT", false, 0x00, VRKind.Binary, 4);

    /// <summary>Code String.</summary>
    public static readonly DicomVR CS = new("CS", false, 0x20, VRKind.Text, 1);

    /// <summary>Date.</summary>
    public static readonly DicomVR DA = new("DA", false, 0x20, VRKind.Text, 1);

    /// <summary>Decimal String.</summary>
    public static readonly DicomVR DS = new("DS", false, 0x20, VRKind.Text, 1);

    /// <summary>Date Time.</summary>
    public static readonly DicomVR DT = new("DT", false, 0x20, VRKind.Text, 1);

    /// <summary>Floating Point Single.</summary>
    public static readonly DicomVR FL = new("FL", false, 0x00, VRKind.Binary, 4);

    /// <summary>Floating Point Double.</summary>
    public static readonly DicomVR FD = new("FD", false, 0x00, VRKind.Binary, 8);

    /// <summary>Integer String.</summary>
    public static readonly DicomVR IS = new("IS", false, 0x20, VRKind.Text, 1);

    /// <summary>Long String.</summary>
    public static readonly DicomVR LO = new("LO", false, 0x20, VRKind.Text, 1, charsetText: true);

    /// <summary>Long Text (single value).</summary>
    public static readonly DicomVR LT = new("LT", false, 0x20, VRKind.Text, 1, charsetText: true, multiValued: false);

    /// <summary>Other Byte.</summary>
    public static readonly DicomVR OB = new("OB", true, 0x00, VRKind.Bulk, 1);

    /// <summary>Other Double.</summary>
    public static readonly DicomVR OD = new("OD", true, 0x00, VRKind.Bulk, 8);

    /// <summary>Other Float.</summary>
    public static readonly DicomVR OF = new("OF", true, 0x00, VRKind.Bulk, 4);

    /// <summary>Other Long.</summary>
    public static readonly DicomVR OL = new("OL", true, 0x00, VRKind.Bulk, 4);

    /// <summary>Other 64-bit Very Long.</summary>
    public static readonly DicomVR OV = new("OV", true, 0x00, VRKind.Bulk, 8);

    /// <summary>Other Word.</summary>
    public static readonly DicomVR OW = new("OW", true, 0x00, VRKind.Bulk, 2);

    /// <summary>Person Name.</summary>
    public static readonly DicomVR PN = new("PN", false, 0x20, VRKind.Text, 1, charsetText: true);

    /// <summary>Short String.</summary>
    public static readonly DicomVR SH = new("SH", false, 0x20, VRKind.Text, 1, charsetText: true);

    /// <summary>Signed Long.</summary>
    public static readonly DicomVR SL = new("SL", false, 0x00, VRKind.Binary, 4);

    /// <summary>Sequence of Items.</summary>
    public static readonly DicomVR SQ = new("SQ", true, 0x00, VRKind.Sequence, 1);

    /// <summary>Signed Short.</summary>
    public static readonly DicomVR SS = new("SS", false, 0x00, VRKind.Binary, 2);

    /// <summary>Short Text (single value).</summary>
    public static readonly DicomVR ST = new("ST", false, 0x20, VRKind.Text, 1, charsetText: true, multiValued: false);

    /// <summary>Signed 64-bit Very Long.</summary>
    public static readonly DicomVR SV = new("SV", true, 0x00, VRKind.Binary, 8);

    /// <summary>Time.</summary>
    public static readonly DicomVR TM = new("TM", false, 0x20, VRKind.Text, 1);

    /// <summary>Unlimited Characters.</summary>
    public static readonly DicomVR UC = new("UC", true, 0x20, VRKind.Text, 1, charsetText: true);

    /// <summary>Unique Identifier (padded with NUL).</summary>
    public static readonly DicomVR UI = new("UI", false, 0x00, VRKind.Text, 1);

    /// <summary>Unsigned Long.</summary>
    public static readonly DicomVR UL = new("UL", false, 0x00, VRKind.Binary, 4);

    /// <summary>Unknown.</summary>
    public static readonly DicomVR UN = new("UN", true, 0x00, VRKind.Bulk, 1);

    /// <summary>Universal Resource Identifier (single value).</summary>
    public static readonly DicomVR UR = new("UR", true, 0x20, VRKind.Text, 1, multiValued: false);

    /// <summary>Unsigned Short.</summary>
    public static readonly DicomVR US = new("US", false, 0x00, VRKind.Binary, 2);

    /// <summary>Unlimited Text (single value).</summary>
    public static readonly DicomVR UT = new("UT", true, 0x20, VRKind.Text, 1, charsetText: true, multiValued: false);

    /// <summary>Unsigned 64-bit Very Long.</summary>
    public static readonly DicomVR UV = new("UV", true, 0x00, VRKind.Binary, 8);

    private static ushort Key(char a, char b) => (ushort)((a << 8) | b);

    /// <summary>Looks up a VR by its two ASCII bytes as they appear in an explicit-VR stream.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr) =>
        ByCode.TryGetValue(Key((char)first, (char)second), out vr!);

    /// <summary>Looks up a VR by code; throws <see cref="ArgumentException"/> for an unknown code.</summary>
    public static DicomVR Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length == 2 && ByCode.TryGetValue(Key(code[0], code[1]), out DicomVR? vr))
        {
            return vr;
        }

        throw new ArgumentException($"'{code}' is not a DICOM value representation.", nameof(code));
    }

    /// <summary>All VRs.</summary>
    public static IReadOnlyCollection<DicomVR> All => ByCode.Values;

    /// <inheritdoc />
    public override string ToString() => Code;
}
