namespace MeTAI.Dicom.Network;

/// <summary>
/// The User Information item of an A-ASSOCIATE-RQ or -AC (PS3.8 §D.1, PS3.7 §D.3.3): the largest P-DATA-TF PDU the
/// sender can receive, its implementation class UID and version name, and SCP/SCU role selections. Asynchronous
/// operations, extended negotiation and user identity sub-items are read past and not answered (one operation at a time).
/// </summary>
/// <param name="MaxPduLength">Maximum length of the P-DATA-TF PDUs the sender receives (its PDU-length field), 0: unlimited.</param>
/// <param name="ImplementationClassUid">The sender's implementation class UID.</param>
/// <param name="ImplementationVersionName">The sender's implementation version name (≤ 16 characters), or null.</param>
/// <param name="RoleSelections">SCP/SCU role selections.</param>
public sealed record UserInformation(uint MaxPduLength, string ImplementationClassUid, string? ImplementationVersionName, IReadOnlyList<RoleSelection> RoleSelections)
{
    /// <summary>Ours: <paramref name="maxPduLength"/>, <see cref="DicomUid.ImplementationClassUid"/>, <see cref="DicomUid.ImplementationVersionName"/>.</summary>
    public static UserInformation Ours(uint maxPduLength, IReadOnlyList<RoleSelection>? roles = null) =>
        new(maxPduLength, DicomUid.ImplementationClassUid, DicomUid.ImplementationVersionName, roles ?? []);
}
