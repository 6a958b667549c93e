namespace MeTAI.Dicom.Network;

/// <summary>
/// An SCP/SCU Role Selection sub-item (PS3.7 §D.3.3.4): for one SOP class, whether the requestor wants to act as its
/// SCU and as its SCP. A C-GET requestor proposes the SCP role for the storage SOP classes it wants to receive on the
/// same association; the acceptor answers with the roles it agrees to.
/// </summary>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="ScuRole">The requestor acts as SCU.</param>
/// <param name="ScpRole">The requestor acts as SCP.</param>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);
