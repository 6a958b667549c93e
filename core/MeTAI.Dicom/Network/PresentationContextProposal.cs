namespace MeTAI.Dicom.Network;

/// <summary>
/// A presentation context as a requestor proposes it (PS3.8 §9.3.2.2): an odd ID (1–255), the abstract syntax (a SOP
/// Class UID) and the transfer syntaxes it can send or receive that SOP class in, in order of preference.
/// </summary>
/// <param name="Id">The presentation context ID, odd, 1–255.</param>
/// <param name="AbstractSyntax">The SOP Class UID.</param>
/// <param name="TransferSyntaxes">Transfer syntax UIDs, at least one.</param>
public sealed record PresentationContextProposal(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);
