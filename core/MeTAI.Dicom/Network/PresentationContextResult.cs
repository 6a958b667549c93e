namespace MeTAI.Dicom.Network;

/// <summary>
/// The acceptor's answer to one proposed presentation context (PS3.8 §9.3.3.2): accepted with one transfer syntax, or
/// refused with a reason (the transfer syntax is then not significant).
/// </summary>
/// <param name="Id">The presentation context ID the requestor proposed.</param>
/// <param name="Outcome">Acceptance or why not.</param>
/// <param name="TransferSyntax">The transfer syntax the acceptor chose (empty when refused).</param>
public sealed record PresentationContextResult(byte Id, PresentationContextOutcome Outcome, string TransferSyntax)
{
    /// <summary>True when the context was accepted.</summary>
    public bool IsAccepted => Outcome == PresentationContextOutcome.Acceptance;
}
