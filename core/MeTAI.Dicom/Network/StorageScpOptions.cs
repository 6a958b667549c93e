using System.Net;

namespace MeTAI.Dicom.Network;

/// <summary>What a <see cref="StorageScp"/> answers to, and its limits. Checked once by <see cref="Validate"/> when the SCP starts.</summary>
public sealed class StorageScpOptions
{
    /// <summary>Our AE title; associations calling another title are rejected (called AE title not recognized).</summary>
    public required string AeTitle { get; init; }

    /// <summary>TCP port; 0 picks a free one (see <see cref="StorageScp.Port"/>).</summary>
    public int Port { get; init; }

    /// <summary>The address to listen on (default: every interface).</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>Calling AE titles allowed to associate; empty: any. Others are rejected (calling AE title not recognized).</summary>
    public IReadOnlyCollection<string> AllowedCallingAeTitles { get; init; } = [];

    /// <summary>Associations served at once; one more is rejected-transient (local limit exceeded).</summary>
    public int MaxAssociations { get; init; } = 8;

    /// <summary>Largest data set accepted (bytes); a longer one aborts its association and is discarded. Default 1 GiB.</summary>
    public long MaxObjectBytes { get; init; } = 1L << 30;

    /// <summary>The storage SOP classes accepted (default <see cref="DicomNetworkUids.StorageSopClasses"/>); Verification always.</summary>
    public IReadOnlyList<string> SopClasses { get; init; } = DicomNetworkUids.StorageSopClasses;

    /// <summary>The transfer syntaxes accepted (default <see cref="DicomNetworkUids.AcceptedTransferSyntaxes"/>); of those proposed in a context, the requestor's first.</summary>
    public IReadOnlyList<string> TransferSyntaxes { get; init; } = DicomNetworkUids.AcceptedTransferSyntaxes;

    /// <summary>PDU length and timeouts.</summary>
    public DicomNetworkOptions Network { get; init; } = DicomNetworkOptions.Default;

    /// <summary>Throws when a setting is unusable.</summary>
    /// <exception cref="ArgumentException">An invalid AE title (ours or in the allow-list), port or limit.</exception>
    public void Validate()
    {
        Dicom.Network.AeTitle.Check(AeTitle, "AE title");
        foreach (string allowed in AllowedCallingAeTitles)
        {
            Dicom.Network.AeTitle.Check(allowed, "allowed calling AE title");
        }

        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port {Port} is not a TCP port (1–65535, or 0 for any free one).");
        }

        if (MaxAssociations < 1 || MaxObjectBytes < 1)
        {
            throw new ArgumentException("the association and object-size limits must be positive.");
        }

        Network.Validate();
    }
}
