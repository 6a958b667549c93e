namespace MeTAI.Dicom.Network;

/// <summary>The Result/Reason field of a presentation context in an A-ASSOCIATE-AC (PS3.8 Table 9-18).</summary>
public enum PresentationContextOutcome : byte
{
    /// <summary>Accepted.</summary>
    Acceptance = 0,

    /// <summary>Refused by the acceptor's user.</summary>
    UserRejection = 1,

    /// <summary>Refused by the provider, no reason given.</summary>
    NoReason = 2,

    /// <summary>The abstract syntax (SOP class) is not supported.</summary>
    AbstractSyntaxNotSupported = 3,

    /// <summary>None of the proposed transfer syntaxes is supported.</summary>
    TransferSyntaxesNotSupported = 4,
}
