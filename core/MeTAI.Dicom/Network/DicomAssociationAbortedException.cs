namespace MeTAI.Dicom.Network;

/// <summary>The peer sent an A-ABORT.</summary>
public sealed class DicomAssociationAbortedException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    public DicomAssociationAbortedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DicomAssociationAbortedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DicomAssociationAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an A-ABORT with <paramref name="source"/> and <paramref name="reason"/>.</summary>
    public DicomAssociationAbortedException(string peer, byte source, byte reason)
        : base($"{peer} aborted the association ({Describe(source, reason)})")
    {
        AbortSource = source;
        Reason = reason;
    }

    /// <summary>0: the service user, 2: the service provider.</summary>
    public byte AbortSource { get; }

    /// <summary>The reason (significant when the source is the service provider).</summary>
    public byte Reason { get; }

    /// <summary>An abort's source and reason in words.</summary>
    public static string Describe(byte source, byte reason) => source switch
    {
        0 => "by the service user",
        2 => "by the service provider: " + (AbortReason)reason switch
        {
            AbortReason.UnrecognizedPdu => "unrecognized PDU",
            AbortReason.UnexpectedPdu => "unexpected PDU",
            AbortReason.UnrecognizedPduParameter => "unrecognized PDU parameter",
            AbortReason.UnexpectedPduParameter => "unexpected PDU parameter",
            AbortReason.InvalidPduParameterValue => "invalid PDU parameter value",
            _ => "reason not specified",
        },
        _ => $"source {source}, reason {reason}",
    };
}
