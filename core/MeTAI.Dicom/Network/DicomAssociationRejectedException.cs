namespace MeTAI.Dicom.Network;

/// <summary>The peer answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ.</summary>
public sealed class DicomAssociationRejectedException : DicomNetworkException
{
    /// <summary>Creates the exception.</summary>
    public DicomAssociationRejectedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public DicomAssociationRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public DicomAssociationRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="reject"/> from <paramref name="peer"/>.</summary>
    public DicomAssociationRejectedException(string peer, AssociateReject reject)
        : base($"{peer} rejected the association: {reject?.Describe()}")
    {
        Reject = reject;
    }

    /// <summary>The reject as received.</summary>
    public AssociateReject? Reject { get; }
}
