namespace MeTAI.Dicom.Network;

/// <summary>
/// A DICOM network operation failed: the connection could not be made or was lost, a timeout, or the peer broke the
/// protocol. The message says what happened and with whom.
/// </summary>
public class DicomNetworkException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomNetworkException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DicomNetworkException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DicomNetworkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
