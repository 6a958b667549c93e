namespace MeTAI.Dicom.Network;

/// <summary>
/// A C-FIND, C-GET or C-MOVE in progress on a requestor's association, and its cancellation (PS3.7 §9.3.2.3): when the
/// caller's token fires, a C-CANCEL-RQ goes to the peer at once and the responses keep being read until the final one
/// (status Cancel, usually); only if that does not come within the ARTIM time does <see cref="Token"/> fire, which
/// aborts the association.
/// </summary>
internal sealed class PendingOperation : IDisposable
{
    private readonly CancellationTokenSource _hard = new();
    private readonly CancellationTokenRegistration _registration;
    private Task _cancelSent = Task.CompletedTask;

    public PendingOperation(DicomAssociation association, byte contextId, ushort messageId, TimeSpan grace, CancellationToken cancellationToken)
    {
        _registration = cancellationToken.Register(() =>
        {
            CancelRequested = true;
            _cancelSent = Task.Run(() => association.SendAsync(contextId, DimseMessage.CancelRequest(messageId), null, CancellationToken.None));
            _hard.CancelAfter(grace);
        });
    }

    /// <summary>True once the caller asked to cancel.</summary>
    public bool CancelRequested { get; private set; }

    /// <summary>The token for reading responses: fires only when a cancelled operation did not end in time.</summary>
    public CancellationToken Token => _hard.Token;

    /// <summary>Waits for the C-CANCEL-RQ to have been sent (its failure shows in the reads anyway).</summary>
    public async Task SettleAsync()
    {
        try
        {
            await _cancelSent.ConfigureAwait(false);
        }
        catch (DicomNetworkException)
        {
            // The association failed while sending the cancel; the read that follows reports it.
        }
    }

    public void Dispose()
    {
        _registration.Dispose();
        _hard.Dispose();
    }
}
