namespace MeTAI.Dicom.Network;

/// <summary>How a C-GET or C-MOVE ended: the peer's final status and sub-operation counts, and (C-GET) what we stored.</summary>
/// <param name="Status">The final response's status.</param>
/// <param name="ErrorComment">The final response's Error Comment, or null.</param>
/// <param name="Completed">Sub-operations completed (the peer's count).</param>
/// <param name="Failed">Sub-operations failed.</param>
/// <param name="Warning">Sub-operations with a warning.</param>
/// <param name="Stored">Objects we stored from C-GET sub-operations (empty for C-MOVE: the move destination stores them).</param>
/// <param name="Refused">C-STORE sub-operations we refused (C-GET).</param>
public sealed record RetrieveResult(ushort Status, string? ErrorComment, int Completed, int Failed, int Warning, IReadOnlyList<ReceivedObject> Stored, int Refused)
{
    /// <summary>True when the retrieve finished without a failed sub-operation.</summary>
    public bool Succeeded => Status == DimseStatus.Success && Failed == 0 && Refused == 0;
}
