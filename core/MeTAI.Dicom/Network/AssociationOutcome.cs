namespace MeTAI.Dicom.Network;

/// <summary>How an accepted association ended.</summary>
/// <param name="Released">True when released in order; false when aborted (either side), timed out or lost.</param>
/// <param name="Error">Why it was not released, or null.</param>
/// <param name="Stored">The objects stored whole.</param>
/// <param name="Refused">C-STORE-RQs answered with a failure status.</param>
/// <param name="DiscardedInTransfer">True when an object was arriving when the association ended (it was discarded).</param>
public sealed record AssociationOutcome(bool Released, string? Error, IReadOnlyList<ReceivedObject> Stored, int Refused, bool DiscardedInTransfer);
