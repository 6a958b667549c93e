using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Network;

/// <summary>
/// A Retrieve SCU of the Study Root Query/Retrieve Information Model (PS3.4 Annex C): C-GET, whose C-STORE
/// sub-operations come back on the same association (we propose the SCP role for the storage SOP classes, one
/// presentation context per SOP class and transfer syntax, so the peer sends each object as it holds it), or C-MOVE,
/// whose sub-operations the peer sends on its own association to a move destination (ours: a <see cref="StorageScp"/>
/// the caller runs). A cancelled retrieve sends C-CANCEL-RQ and waits for the final response.
/// </summary>
public static class RetrieveScu
{
    /// <summary>The presentation contexts of a C-GET association: GET, then every storage SOP class × accepted transfer syntax.</summary>
    public static IReadOnlyList<PresentationContextProposal> GetContexts { get; } = BuildGetContexts();

    /// <summary>Our role selections for C-GET: SCP (only) of every storage SOP class we accept.</summary>
    public static IReadOnlyList<RoleSelection> GetRoles { get; } =
        [.. DicomNetworkUids.StorageSopClasses.Select(c => new RoleSelection(c, ScuRole: false, ScpRole: true))];

    /// <summary>Opens an association for C-GET with <paramref name="peer"/> (run <see cref="GetAsync"/> on it, once per study).</summary>
    /// <exception cref="DicomNetworkException">No association, or the peer refused Study Root GET.</exception>
    public static async Task<DicomAssociation> OpenGetAsync(DicomPeer peer, string callingAeTitle, DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        DicomAssociation association = await DicomAssociation.RequestAsync(peer, callingAeTitle, GetContexts, GetRoles, options, cancellationToken).ConfigureAwait(false);
        if (association.FindContext(DicomNetworkUids.StudyRootGet) is null)
        {
            string why = ScuExchange.WhyNoContext(association, DicomNetworkUids.StudyRootGet);
            await association.DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(why);
        }

        return association;
    }

    /// <summary>Opens an association for C-MOVE with <paramref name="peer"/>.</summary>
    /// <exception cref="DicomNetworkException">No association, or the peer refused Study Root MOVE.</exception>
    public static async Task<DicomAssociation> OpenMoveAsync(DicomPeer peer, string callingAeTitle, DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        PresentationContextProposal[] contexts = [new(1, DicomNetworkUids.StudyRootMove, DicomNetworkUids.Uncompressed)];
        DicomAssociation association = await DicomAssociation.RequestAsync(peer, callingAeTitle, contexts, null, options, cancellationToken).ConfigureAwait(false);
        if (association.FindContext(DicomNetworkUids.StudyRootMove) is null)
        {
            string why = ScuExchange.WhyNoContext(association, DicomNetworkUids.StudyRootMove);
            await association.DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(why);
        }

        return association;
    }

    /// <summary>C-GET of <paramref name="identifier"/>; the objects arrive on this association and are stored in <paramref name="folder"/>.</summary>
    /// <exception cref="DicomNetworkException">The association failed (objects stored whole before that are kept).</exception>
    public static Task<RetrieveResult> GetAsync(DicomAssociation association, DicomDataset identifier, DicomStorageFolder folder, long maxObjectBytes,
        Action<ReceivedObject>? stored = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return RetrieveAsync(association, DicomNetworkUids.StudyRootGet, identifier, null, (folder, maxObjectBytes, stored), cancellationToken);
    }

    /// <summary>C-MOVE of <paramref name="identifier"/> to <paramref name="destinationAeTitle"/> (which the peer must know).</summary>
    /// <exception cref="DicomNetworkException">The association failed.</exception>
    public static Task<RetrieveResult> MoveAsync(DicomAssociation association, DicomDataset identifier, string destinationAeTitle, CancellationToken cancellationToken = default) =>
        RetrieveAsync(association, DicomNetworkUids.StudyRootMove, identifier, AeTitle.Check(destinationAeTitle, "move destination"), null, cancellationToken);

    private static async Task<RetrieveResult> RetrieveAsync(DicomAssociation association, string sopClass, DicomDataset identifier, string? destination,
        (DicomStorageFolder Folder, long MaxBytes, Action<ReceivedObject>? Stored)? get, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        AcceptedContext context = association.FindContext(sopClass) ?? throw new DicomNetworkException(ScuExchange.WhyNoContext(association, sopClass));
        ushort messageId = association.NextMessageId();
        DimseMessage request = destination is null ? DimseMessage.GetRequest(messageId, sopClass) : DimseMessage.MoveRequest(messageId, sopClass, destination);
        byte[] data = DicomWriter.Encode(identifier, new DicomWriteOptions { TransferSyntax = context.TransferSyntax });
        await association.SendAsync(context.Id, request, data, ct).ConfigureAwait(false);
        DimseCommandField expected = destination is null ? DimseCommandField.CGetResponse : DimseCommandField.CMoveResponse;
        var objects = new List<ReceivedObject>();
        int refused = 0;
        using var pending = new PendingOperation(association, context.Id, messageId, association.Options.ArtimTimeout, ct);
        while (true)
        {
            ReceivedMessage received = await association.ReceiveAsync(pending.Token).ConfigureAwait(false)
                ?? throw new DicomNetworkException($"{association.Peer} ended the association during {request.Name}");
            DimseMessage m = received.Message;
            if (m.CommandField == DimseCommandField.CStoreRequest && get is { } g)
            {
                StoreReceiver.Outcome outcome = await StoreReceiver.ReceiveAsync(association, received, g.Folder, g.MaxBytes, pending.Token).ConfigureAwait(false);
                await association.SendAsync(received.Context.Id, DimseMessage.Response(m, outcome.Status, outcome.Comment), null, pending.Token).ConfigureAwait(false);
                if (outcome.Stored is { } o)
                {
                    objects.Add(o);
                    g.Stored?.Invoke(o);
                }
                else
                {
                    refused++;
                }

                continue;
            }

            if (m.CommandField != expected || m.MessageIdBeingRespondedTo != messageId)
            {
                await association.AbortAsync(AbortReason.UnexpectedPduParameter, 2).ConfigureAwait(false);
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, $"{association.Peer} sent {m} during {request.Name} #{messageId}");
            }

            if (m.HasDataSet)
            {
                // A failed-instance list (Failed SOP Instance UID List) may come with the final response; it is not kept.
                await association.ReceiveDataSetAsync(Stream.Null, ScuExchange.MaxIdentifierBytes, pending.Token).ConfigureAwait(false);
            }

            if (DimseStatus.IsPending(m.Status))
            {
                continue;
            }

            await pending.SettleAsync().ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            return new RetrieveResult(m.Status, m.ErrorComment, m.Completed ?? objects.Count, m.Failed ?? 0, m.Warning ?? 0, objects, refused);
        }
    }

    private static List<PresentationContextProposal> BuildGetContexts()
    {
        var contexts = new List<PresentationContextProposal> { new(1, DicomNetworkUids.StudyRootGet, DicomNetworkUids.Uncompressed) };
        foreach (string sopClass in DicomNetworkUids.StorageSopClasses)
        {
            foreach (string syntax in DicomNetworkUids.AcceptedTransferSyntaxes)
            {
                contexts.Add(new PresentationContextProposal((byte)(2 * contexts.Count + 1), sopClass, [syntax]));
            }
        }

        return contexts;
    }
}
