namespace MeTAI.Dicom.Network;

/// <summary>An A-ASSOCIATE-RQ (PS3.8 §9.3.2): who calls whom, the application context, the presentation contexts proposed.</summary>
/// <param name="CalledAeTitle">The AE title of the acceptor the requestor wants (trimmed).</param>
/// <param name="CallingAeTitle">The requestor's own AE title (trimmed).</param>
/// <param name="ApplicationContextName">The DICOM application context, <see cref="DicomNetworkUids.ApplicationContext"/>.</param>
/// <param name="PresentationContexts">The proposed presentation contexts.</param>
/// <param name="UserInformation">Maximum PDU length, implementation identity, role selections.</param>
public sealed record AssociateRequest(
    string CalledAeTitle,
    string CallingAeTitle,
    string ApplicationContextName,
    IReadOnlyList<PresentationContextProposal> PresentationContexts,
    UserInformation UserInformation);
