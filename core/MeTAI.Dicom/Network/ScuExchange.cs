namespace MeTAI.Dicom.Network;

/// <summary>What the SCUs share: waiting for the response to a request, and describing why a context was refused.</summary>
internal static class ScuExchange
{
    /// <summary>Largest C-FIND identifier (or C-GET/C-MOVE response identifier) read into memory.</summary>
    public const int MaxIdentifierBytes = 1024 * 1024;

    /// <summary>The next message, which must be the <paramref name="expected"/> response to <paramref name="messageId"/> without a data set.</summary>
    /// <exception cref="DicomProtocolException">Anything else (the association is aborted).</exception>
    public static async Task<DimseMessage> ExpectResponseAsync(DicomAssociation association, DimseCommandField expected, ushort messageId, CancellationToken ct)
    {
        ReceivedMessage received = await association.ReceiveAsync(ct).ConfigureAwait(false)
            ?? throw new DicomNetworkException($"{association.Peer} ended the association before answering");
        DimseMessage m = received.Message;
        if (m.CommandField != expected || m.MessageIdBeingRespondedTo != messageId)
        {
            await association.AbortAsync(AbortReason.UnexpectedPduParameter, 2).ConfigureAwait(false);
            throw new DicomProtocolException(AbortReason.UnexpectedPduParameter,
                $"{association.Peer} sent {m} where the {DimseMessage.NameOf(expected)} to #{messageId} was expected");
        }

        if (m.HasDataSet)
        {
            await association.ReceiveDataSetAsync(Stream.Null, MaxIdentifierBytes, ct).ConfigureAwait(false);
        }

        return m;
    }

    /// <summary>Why no accepted context serves <paramref name="sopClassUid"/> (from the peer's results), for messages.</summary>
    public static string WhyNoContext(DicomAssociation association, string sopClassUid)
    {
        AssociateRequest? rq = association.Request;
        IEnumerable<byte> ids = rq?.PresentationContexts.Where(p => p.AbstractSyntax == sopClassUid).Select(p => p.Id) ?? [];
        IEnumerable<string> reasons = association.Accept?.Results.Where(r => ids.Contains(r.Id) && !r.IsAccepted).Select(r => r.Outcome switch
        {
            PresentationContextOutcome.AbstractSyntaxNotSupported => "SOP class not supported",
            PresentationContextOutcome.TransferSyntaxesNotSupported => "transfer syntax not supported",
            PresentationContextOutcome.UserRejection => "refused by the user",
            _ => "refused, no reason given",
        }).Distinct() ?? [];
        string why = string.Join("; ", reasons);
        return $"{association.Peer} accepted no presentation context for {DicomNetworkUids.Describe(sopClassUid)}" + (why.Length > 0 ? $" ({why})" : string.Empty);
    }
}
