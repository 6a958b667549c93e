namespace MeTAI.Dicom.Network;

/// <summary>
/// Limits and timeouts of an association (PS3.8 §9.1.5 ARTIM; the DIMSE timeout is ours). Defaults suit a department
/// network; tests shorten the timeouts.
/// </summary>
public sealed class DicomNetworkOptions
{
    /// <summary>The smallest maximum PDU length we announce or accept from a peer (bytes).</summary>
    public const uint MinPduLength = 4096;

    /// <summary>The largest maximum PDU length we announce (bytes).</summary>
    public const uint MaxAnnouncedPduLength = 16u * 1024 * 1024;

    /// <summary>Largest A-ASSOCIATE-RQ or -AC accepted (bytes); 128 presentation contexts take about 20 kB.</summary>
    public const int MaxAssociatePduLength = 1024 * 1024;

    /// <summary>The options used when none are given.</summary>
    public static DicomNetworkOptions Default { get; } = new();

    /// <summary>
    /// The maximum length of the P-DATA-TF PDUs we receive (announced in the Maximum Length sub-item); a longer PDU aborts
    /// the association. Also the most we send when the peer announces no limit. Default 64 KiB.
    /// </summary>
    public uint MaxPduLength { get; init; } = 64 * 1024;

    /// <summary>TCP connection set-up.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The ARTIM timer: how long an acceptor waits for the A-ASSOCIATE-RQ after a connection opens, a requestor for the
    /// A-ASSOCIATE-AC/RJ, and either side for the peer to close after a release or abort.
    /// </summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an established association waits for the peer's next PDU (a message, a fragment, a response).</summary>
    public TimeSpan DimseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A PDU length outside 4 KiB–16 MiB or a non-positive timeout.</exception>
    public void Validate()
    {
        if (MaxPduLength is < MinPduLength or > MaxAnnouncedPduLength)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPduLength), MaxPduLength, $"maximum PDU length must be {MinPduLength}–{MaxAnnouncedPduLength} bytes");
        }

        foreach ((TimeSpan t, string name) in new[] { (ConnectTimeout, nameof(ConnectTimeout)), (ArtimTimeout, nameof(ArtimTimeout)), (DimseTimeout, nameof(DimseTimeout)) })
        {
            if (t <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, t, "timeouts must be positive");
            }
        }
    }
}
