namespace MeTAI.Dicom;

/// <summary>A transfer syntax: how a dataset is encoded (VR explicit or implicit, byte order, deflate, encapsulation).</summary>
public sealed record DicomTransferSyntax(string Uid, string Name, bool IsExplicitVR, bool IsBigEndian, bool IsDeflated, bool IsEncapsulated)
{
    /// <summary>Implicit VR Little Endian (the DICOM default).</summary>
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);

    /// <summary>Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);

    /// <summary>Deflated Explicit VR Little Endian.</summary>
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);

    /// <summary>Explicit VR Big Endian (retired, still read).</summary>
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);

    /// <summary>RLE Lossless.</summary>
    public static readonly DicomTransferSyntax RleLossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true);

    private static readonly Dictionary<string, DicomTransferSyntax> Known = new(StringComparer.Ordinal)
    {
        [ImplicitVRLittleEndian.Uid] = ImplicitVRLittleEndian,
        [ExplicitVRLittleEndian.Uid] = ExplicitVRLittleEndian,
        [DeflatedExplicitVRLittleEndian.Uid] = DeflatedExplicitVRLittleEndian,
        [ExplicitVRBigEndian.Uid] = ExplicitVRBigEndian,
        [RleLossless.Uid] = RleLossless,
    };

    /// <summary>True when this codec can decode the pixel data of this syntax (native or RLE).</summary>
    public bool PixelDataSupported => !IsEncapsulated || Uid == RleLossless.Uid;

    /// <summary>
    /// The transfer syntax of a UID. Unknown UIDs of the 1.2.840.10008.1.2.4.x family (JPEG, JPEG-LS, JPEG 2000, …) and
    /// other registered encapsulated syntaxes are encapsulated explicit VR little endian: their datasets can be read,
    /// their pixel data cannot be decoded here.
    /// </summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        string clean = uid.TrimEnd('\0', ' ');
        if (Known.TryGetValue(clean, out DicomTransferSyntax? ts))
        {
            return ts;
        }

        string name = DicomUidRegistry.NameOf(clean) ?? "unknown transfer syntax";
        return new DicomTransferSyntax(clean, name, true, false, false, true);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Uid})";
}
