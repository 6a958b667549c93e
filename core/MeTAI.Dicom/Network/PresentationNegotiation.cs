namespace MeTAI.Dicom.Network;

/// <summary>
/// An acceptor's side of presentation-context negotiation (PS3.8 §9.3.3.2, PS3.7 §D.3.3.4): each proposed context is
/// accepted when its SOP class is one we serve, with the first transfer syntax in the requestor's order that we accept —
/// a sender lists first the syntax it holds the object in, and a storage SCP that stores what it receives has no reason
/// to make it decode (a sender that cannot would fail). Role selections are answered for the SOP classes we serve,
/// agreeing to the requestor as SCU only.
/// </summary>
public static class PresentationNegotiation
{
    /// <summary>The result of every proposed context.</summary>
    /// <param name="request">The A-ASSOCIATE-RQ.</param>
    /// <param name="sopClasses">The SOP classes we serve.</param>
    /// <param name="acceptedSyntaxes">The transfer syntaxes we accept.</param>
    public static List<PresentationContextResult> Negotiate(AssociateRequest request, IReadOnlyCollection<string> sopClasses, IReadOnlyCollection<string> acceptedSyntaxes)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sopClasses);
        ArgumentNullException.ThrowIfNull(acceptedSyntaxes);
        var results = new List<PresentationContextResult>(request.PresentationContexts.Count);
        foreach (PresentationContextProposal pc in request.PresentationContexts)
        {
            if (!sopClasses.Contains(pc.AbstractSyntax))
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextOutcome.AbstractSyntaxNotSupported, pc.TransferSyntaxes[0]));
                continue;
            }

            string? chosen = pc.TransferSyntaxes.FirstOrDefault(acceptedSyntaxes.Contains);
            results.Add(chosen is null
                ? new PresentationContextResult(pc.Id, PresentationContextOutcome.TransferSyntaxesNotSupported, pc.TransferSyntaxes[0])
                : new PresentationContextResult(pc.Id, PresentationContextOutcome.Acceptance, chosen));
        }

        return results;
    }

    /// <summary>Our answer to the requestor's role selections: for SOP classes we serve, the requestor may be SCU, not SCP.</summary>
    public static List<RoleSelection> Roles(AssociateRequest request, IReadOnlyCollection<string> sopClasses)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sopClasses);
        return [.. request.UserInformation.RoleSelections.Where(r => sopClasses.Contains(r.SopClassUid)).Select(r => new RoleSelection(r.SopClassUid, r.ScuRole, ScpRole: false))];
    }
}
