namespace MeTAI.Dicom.Network;

/// <summary>The reason of an A-ABORT sent by the service provider (PS3.8 Table 9-26; source 2).</summary>
public enum AbortReason : byte
{
    /// <summary>Reason not specified (also every abort by the service user, source 0).</summary>
    NotSpecified = 0,

    /// <summary>A PDU of an unknown type.</summary>
    UnrecognizedPdu = 1,

    /// <summary>A PDU that the association's state does not allow.</summary>
    UnexpectedPdu = 2,

    /// <summary>An item or field the PDU cannot hold.</summary>
    UnrecognizedPduParameter = 4,

    /// <summary>An item or field out of place.</summary>
    UnexpectedPduParameter = 5,

    /// <summary>A length, ID or value that is wrong.</summary>
    InvalidPduParameterValue = 6,
}
