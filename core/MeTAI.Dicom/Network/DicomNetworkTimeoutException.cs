namespace MeTAI.Dicom.Network;

/// <summary>The peer did not answer in time (the ARTIM timer or the DIMSE timeout ran out); the association was aborted.</summary>
public sealed class DicomNetworkTimeoutException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    public DicomNetworkTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DicomNetworkTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DicomNetworkTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
