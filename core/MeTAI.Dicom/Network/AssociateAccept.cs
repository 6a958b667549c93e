namespace MeTAI.Dicom.Network;

/// <summary>An A-ASSOCIATE-AC (PS3.8 §9.3.3): the acceptor's answer to each proposed presentation context.</summary>
/// <param name="CalledAeTitle">The called AE title, as the request gave it.</param>
/// <param name="CallingAeTitle">The calling AE title, as the request gave it.</param>
/// <param name="ApplicationContextName">The application context.</param>
/// <param name="Results">One result per proposed presentation context.</param>
/// <param name="UserInformation">The acceptor's maximum PDU length, implementation identity and agreed roles.</param>
public sealed record AssociateAccept(
    string CalledAeTitle,
    string CallingAeTitle,
    string ApplicationContextName,
    IReadOnlyList<PresentationContextResult> Results,
    UserInformation UserInformation);
