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

    /// <summary>JPEG Baseline (Process 1): 8-bit lossy, Huffman, DCT.</summary>
    public static readonly DicomTransferSyntax JpegBaseline = Encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)");

    /// <summary>JPEG Extended (Process 2 and 4): 8- or 12-bit lossy, Huffman, DCT.</summary>
    public static readonly DicomTransferSyntax JpegExtended = Encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 and 4)");

    /// <summary>JPEG Lossless, Non-Hierarchical (Process 14): any of the seven predictors.</summary>
    public static readonly DicomTransferSyntax JpegLossless = Encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");

    /// <summary>JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1]).</summary>
    public static readonly DicomTransferSyntax JpegLosslessSV1 = Encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");

    /// <summary>JPEG-LS Lossless Image Compression.</summary>
    public static readonly DicomTransferSyntax JpegLsLossless = Encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression");

    /// <summary>JPEG-LS Lossy (Near-Lossless) Image Compression.</summary>
    public static readonly DicomTransferSyntax JpegLsNearLossless = Encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression");

    /// <summary>JPEG 2000 Image Compression (Lossless Only).</summary>
    public static readonly DicomTransferSyntax Jpeg2000Lossless = Encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)");

    /// <summary>JPEG 2000 Image Compression (lossless or lossy).</summary>
    public static readonly DicomTransferSyntax Jpeg2000 = Encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression");

    private static readonly Dictionary<string, DicomTransferSyntax> Known = new(StringComparer.Ordinal)
    {
        [ImplicitVRLittleEndian.Uid] = ImplicitVRLittleEndian,
        [ExplicitVRLittleEndian.Uid] = ExplicitVRLittleEndian,
        [DeflatedExplicitVRLittleEndian.Uid] = DeflatedExplicitVRLittleEndian,
        [ExplicitVRBigEndian.Uid] = ExplicitVRBigEndian,
        [RleLossless.Uid] = RleLossless,
        [JpegBaseline.Uid] = JpegBaseline,
        [JpegExtended.Uid] = JpegExtended,
        [JpegLossless.Uid] = JpegLossless,
        [JpegLosslessSV1.Uid] = JpegLosslessSV1,
        [JpegLsLossless.Uid] = JpegLsLossless,
        [JpegLsNearLossless.Uid] = JpegLsNearLossless,
        [Jpeg2000Lossless.Uid] = Jpeg2000Lossless,
        [Jpeg2000.Uid] = Jpeg2000,
    };

    // Registered syntaxes newer than our UID dictionary: named in refusals, not decoded.
    private static readonly Dictionary<string, string> NewerNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.1.2.4.201"] = "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
        ["1.2.840.10008.1.2.4.202"] = "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
        ["1.2.840.10008.1.2.4.203"] = "High-Throughput JPEG 2000 Image Compression",
    };

    /// <summary>
    /// True when this codec can decode the pixel data of this syntax: native, RLE Lossless, JPEG baseline/extended/
    /// lossless, JPEG-LS and JPEG 2000 (the last two through native libraries, see <c>MeTAI.Dicom.Imaging.Codecs</c>).
    /// </summary>
    public bool PixelDataSupported => !IsEncapsulated || Known.ContainsKey(Uid);

    /// <summary>
    /// The transfer syntax of a UID. Other UIDs of the 1.2.840.10008.1.2.4.x family (HTJ2K, JPEG 2000 Part 2, MPEG, …)
    /// and unknown UIDs are encapsulated explicit VR little endian: their datasets can be read, their pixel data cannot
    /// be decoded here.
    /// </summary>
    public static DicomTransferSyntax Lookup(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        string clean = uid.TrimEnd('\0', ' ');
        if (Known.TryGetValue(clean, out DicomTransferSyntax? ts))
        {
            return ts;
        }

        string name = DicomUidRegistry.NameOf(clean) ?? NewerNames.GetValueOrDefault(clean) ?? "unknown transfer syntax";
        return new DicomTransferSyntax(clean, name, true, false, false, true);
    }

    private static DicomTransferSyntax Encapsulated(string uid, string name) => new(uid, name, true, false, false, true);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Uid})";
}
