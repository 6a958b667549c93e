namespace MeTAI.Dicom.Network;

/// <summary>
/// The peer broke the upper-layer or DIMSE protocol (a malformed or unexpected PDU, a PDU longer than allowed, a
/// DIMSE message out of order): the association is aborted with <see cref="Reason"/>.
/// </summary>
public sealed class DicomProtocolException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    public DicomProtocolException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DicomProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DicomProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the A-ABORT reason that goes to the peer.</summary>
    public DicomProtocolException(AbortReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>The reason of the A-ABORT sent to the peer.</summary>
    public AbortReason Reason { get; }
}
