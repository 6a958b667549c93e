namespace MeTAI.Dicom.Network;

/// <summary>An A-ASSOCIATE-RJ (PS3.8 §9.3.4): permanent or transient, who refused, and why.</summary>
/// <param name="Result">1: rejected-permanent, 2: rejected-transient.</param>
/// <param name="Source">1: service user, 2: service provider (ACSE), 3: service provider (presentation).</param>
/// <param name="Reason">The reason code, whose meaning depends on <paramref name="Source"/>.</param>
public sealed record AssociateReject(byte Result, byte Source, byte Reason)
{
    /// <summary>Rejected-permanent.</summary>
    public const byte Permanent = 1;

    /// <summary>Rejected-transient.</summary>
    public const byte Transient = 2;

    /// <summary>The calling AE title is not allowed (permanent, service user, reason 3).</summary>
    public static AssociateReject CallingAeNotRecognized { get; } = new(Permanent, 1, 3);

    /// <summary>The called AE title is not ours (permanent, service user, reason 7).</summary>
    public static AssociateReject CalledAeNotRecognized { get; } = new(Permanent, 1, 7);

    /// <summary>An application context other than DICOM's (permanent, service user, reason 2).</summary>
    public static AssociateReject ApplicationContextNotSupported { get; } = new(Permanent, 1, 2);

    /// <summary>A protocol version without bit 0 (permanent, service provider ACSE, reason 2).</summary>
    public static AssociateReject ProtocolVersionNotSupported { get; } = new(Permanent, 2, 2);

    /// <summary>Too many associations at once (transient, service provider presentation, reason 2: local limit exceeded).</summary>
    public static AssociateReject LocalLimitExceeded { get; } = new(Transient, 3, 2);

    /// <summary>The reject in words, e.g. "rejected-permanent by the service user: calling AE title not recognized".</summary>
    public string Describe()
    {
        string result = Result == Transient ? "rejected-transient" : "rejected-permanent";
        (string who, string why) = (Source, Reason) switch
        {
            (1, 1) => ("the service user", "no reason given"),
            (1, 2) => ("the service user", "application context name not supported"),
            (1, 3) => ("the service user", "calling AE title not recognized"),
            (1, 7) => ("the service user", "called AE title not recognized"),
            (1, _) => ("the service user", $"reason {Reason}"),
            (2, 1) => ("the service provider (ACSE)", "no reason given"),
            (2, 2) => ("the service provider (ACSE)", "protocol version not supported"),
            (2, _) => ("the service provider (ACSE)", $"reason {Reason}"),
            (3, 1) => ("the service provider (presentation)", "temporary congestion"),
            (3, 2) => ("the service provider (presentation)", "local limit exceeded"),
            _ => ($"source {Source}", $"reason {Reason}"),
        };
        return $"{result} by {who}: {why}";
    }
}
