namespace MeTAI.Dicom.Network;

/// <summary>An acceptor's answer to an A-ASSOCIATE-RQ: a reject, or the result of each presentation context and the agreed roles.</summary>
/// <param name="Reject">The reject to send, or null to accept.</param>
/// <param name="Results">One result per proposed presentation context (when accepting).</param>
/// <param name="Roles">The SCP/SCU role selections agreed to (when accepting).</param>
public sealed record AssociationDecision(AssociateReject? Reject, IReadOnlyList<PresentationContextResult> Results, IReadOnlyList<RoleSelection> Roles)
{
    /// <summary>Refuse with <paramref name="reject"/>.</summary>
    public static AssociationDecision Refuse(AssociateReject reject) => new(reject, [], []);

    /// <summary>Accept with these context results and roles.</summary>
    public static AssociationDecision AcceptWith(IReadOnlyList<PresentationContextResult> results, IReadOnlyList<RoleSelection>? roles = null) => new(null, results, roles ?? []);
}
