namespace MeTAI.Dicom.Network;

/// <summary>An association an SCP accepted, as its observers see it.</summary>
/// <param name="Number">Counts the SCP's associations from 1.</param>
/// <param name="CallingAeTitle">The peer's AE title.</param>
/// <param name="CalledAeTitle">Our AE title as called.</param>
/// <param name="RemoteAddress">The peer's address.</param>
/// <param name="AcceptedContexts">How many presentation contexts were accepted.</param>
/// <param name="ProposedContexts">How many were proposed.</param>
public sealed record AssociationInfo(int Number, string CallingAeTitle, string CalledAeTitle, string RemoteAddress, int AcceptedContexts, int ProposedContexts);
