namespace MeTAI.Dicom.Network;

/// <summary>The seven protocol data units of the DICOM upper layer (PS3.8 §9.3), by their type byte.</summary>
public enum PduType : byte
{
    /// <summary>A-ASSOCIATE-RQ: a requestor asks for an association.</summary>
    AssociateRequest = 0x01,

    /// <summary>A-ASSOCIATE-AC: the acceptor accepts it, with the result of each presentation context.</summary>
    AssociateAccept = 0x02,

    /// <summary>A-ASSOCIATE-RJ: the acceptor refuses it.</summary>
    AssociateReject = 0x03,

    /// <summary>P-DATA-TF: presentation data values (fragments of DIMSE commands and data sets).</summary>
    DataTransfer = 0x04,

    /// <summary>A-RELEASE-RQ: the requestor asks to end the association.</summary>
    ReleaseRequest = 0x05,

    /// <summary>A-RELEASE-RP: the acceptor agrees.</summary>
    ReleaseResponse = 0x06,

    /// <summary>A-ABORT: either side ends the association at once.</summary>
    Abort = 0x07,
}
