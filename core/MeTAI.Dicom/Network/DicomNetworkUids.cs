namespace MeTAI.Dicom.Network;

/// <summary>
/// The UIDs the network services use (PS3.6 Annex A; names through <see cref="DicomUidRegistry"/>): the application
/// context, Verification, the Query/Retrieve information models, the storage SOP classes we accept, and the transfer
/// syntaxes we negotiate.
/// </summary>
public static class DicomNetworkUids
{
    /// <summary>DICOM Application Context Name.</summary>
    public const string ApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Verification SOP Class (C-ECHO).</summary>
    public const string Verification = "1.2.840.10008.1.1";

    /// <summary>Study Root Query/Retrieve Information Model – FIND.</summary>
    public const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";

    /// <summary>Study Root Query/Retrieve Information Model – MOVE.</summary>
    public const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";

    /// <summary>Study Root Query/Retrieve Information Model – GET.</summary>
    public const string StudyRootGet = "1.2.840.10008.5.1.4.1.2.2.3";

    /// <summary>MR Image Storage.</summary>
    public const string MRImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    /// <summary>Positron Emission Tomography Image Storage.</summary>
    public const string PetImageStorage = "1.2.840.10008.5.1.4.1.1.128";

    /// <summary>Implicit VR Little Endian.</summary>
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";

    /// <summary>Explicit VR Little Endian.</summary>
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>RLE Lossless.</summary>
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>JPEG Baseline (Process 1), lossy 8-bit.</summary>
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";

    /// <summary>JPEG Extended (Process 2 and 4), lossy 12-bit.</summary>
    public const string JpegExtended = "1.2.840.10008.1.2.4.51";

    /// <summary>JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1).</summary>
    public const string JpegLosslessSV1 = "1.2.840.10008.1.2.4.70";

    /// <summary>JPEG-LS Lossless.</summary>
    public const string JpegLsLossless = "1.2.840.10008.1.2.4.80";

    /// <summary>JPEG-LS Lossy (Near-Lossless).</summary>
    public const string JpegLsNearLossless = "1.2.840.10008.1.2.4.81";

    /// <summary>JPEG 2000 Image Compression (Lossless Only).</summary>
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";

    /// <summary>JPEG 2000 Image Compression (lossless or lossy).</summary>
    public const string Jpeg2000 = "1.2.840.10008.1.2.4.91";

    /// <summary>
    /// The storage SOP classes our SCPs accept: CT, MR and PET images, RT Structure Set, RT Plan and RT Dose — what the
    /// codec and the planner model. Others are refused at negotiation (abstract syntax not supported).
    /// </summary>
    public static IReadOnlyList<string> StorageSopClasses { get; } =
    [
        DicomUid.CTImageStorage, MRImageStorage, PetImageStorage,
        DicomUid.RTStructureSetStorage, DicomUid.RTPlanStorage, DicomUid.RTDoseStorage,
    ];

    /// <summary>
    /// The transfer syntaxes an SCP of ours accepts (and a C-GET of ours proposes, in this order): uncompressed (explicit,
    /// then implicit VR little endian), the lossless compressed ones, then the lossy ones — the compressed syntaxes the
    /// codec reads. Stored as received, never decoded on the way in.
    /// </summary>
    public static IReadOnlyList<string> AcceptedTransferSyntaxes { get; } =
    [
        ExplicitVRLittleEndian, ImplicitVRLittleEndian,
        RleLossless, JpegLsLossless, JpegLosslessSV1, Jpeg2000Lossless,
        JpegLsNearLossless, Jpeg2000, JpegBaseline, JpegExtended,
    ];

    /// <summary>The uncompressed transfer syntaxes, explicit first (what our SCU can re-encode any native dataset into).</summary>
    public static IReadOnlyList<string> Uncompressed { get; } = [ExplicitVRLittleEndian, ImplicitVRLittleEndian];

    /// <summary>A UID with its registered name, e.g. "CT Image Storage (1.2.840.10008.5.1.4.1.1.2)".</summary>
    public static string Describe(string uid) =>
        DicomUidRegistry.NameOf(uid) is { } name ? $"{name} ({uid})" : uid;

    /// <summary>The registered name of a UID, or the UID itself.</summary>
    public static string NameOf(string uid) => DicomUidRegistry.NameOf(uid) ?? uid;
}
