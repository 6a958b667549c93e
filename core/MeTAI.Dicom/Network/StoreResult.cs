namespace MeTAI.Dicom.Network;

/// <summary>What became of one file a C-STORE SCU was asked to send.</summary>
/// <param name="Path">The file.</param>
/// <param name="SopClassUid">Its SOP class, when it could be read.</param>
/// <param name="SopInstanceUid">Its SOP instance, when it could be read.</param>
/// <param name="TransferSyntaxUid">The transfer syntax it was sent in, when sent.</param>
/// <param name="Status">The peer's C-STORE-RSP status, when one came.</param>
/// <param name="Error">Why it was not stored (unreadable, no presentation context, a failure status, the association failed), or null.</param>
public sealed record StoreResult(string Path, string? SopClassUid, string? SopInstanceUid, string? TransferSyntaxUid, ushort? Status, string? Error)
{
    /// <summary>True when the peer answered success or a warning.</summary>
    public bool Succeeded => Error is null && Status is { } s && DimseStatus.IsSuccessOrWarning(s);
}
