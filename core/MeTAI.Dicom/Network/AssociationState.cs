namespace MeTAI.Dicom.Network;

/// <summary>
/// Where an association stands (the states of PS3.8 §9.2 that a one-operation-at-a-time implementation passes through;
/// transport connection states are folded into the first two).
/// </summary>
public enum AssociationState
{
    /// <summary>Requestor: A-ASSOCIATE-RQ sent, waiting for the A-ASSOCIATE-AC or -RJ (Sta5).</summary>
    AwaitingAssociateResponse,

    /// <summary>Acceptor: connection open, waiting for the A-ASSOCIATE-RQ under the ARTIM timer (Sta2).</summary>
    AwaitingAssociateRequest,

    /// <summary>Association established; P-DATA may flow (Sta6).</summary>
    Established,

    /// <summary>Requestor: A-RELEASE-RQ sent, waiting for the A-RELEASE-RP (Sta7).</summary>
    AwaitingReleaseResponse,

    /// <summary>Released in order; the connection is closed.</summary>
    Released,

    /// <summary>Acceptor: the request was refused with an A-ASSOCIATE-RJ; the connection is closed.</summary>
    Rejected,

    /// <summary>Aborted (by either side, a timeout or a lost connection); the connection is closed.</summary>
    Aborted,
}
