namespace MeTAI.Dicom.Network;

/// <summary>A Verification SCU: one C-ECHO on a new association (PS3.4 Annex A).</summary>
public static class EchoScu
{
    /// <summary>Associates with <paramref name="peer"/>, sends a C-ECHO-RQ, releases; returns the response status.</summary>
    /// <exception cref="DicomNetworkException">No association (rejected, refused, timed out) or a protocol error.</exception>
    public static async Task<ushort> EchoAsync(DicomPeer peer, string callingAeTitle, DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        PresentationContextProposal[] contexts = [new(1, DicomNetworkUids.Verification, DicomNetworkUids.Uncompressed)];
        await using DicomAssociation association = await DicomAssociation.RequestAsync(peer, callingAeTitle, contexts, null, options, cancellationToken).ConfigureAwait(false);
        AcceptedContext context = association.FindContext(DicomNetworkUids.Verification)
            ?? throw new DicomNetworkException($"{peer} does not accept the Verification SOP class");
        await association.SendAsync(context.Id, DimseMessage.EchoRequest(1), null, cancellationToken).ConfigureAwait(false);
        DimseMessage response = await ScuExchange.ExpectResponseAsync(association, DimseCommandField.CEchoResponse, 1, cancellationToken).ConfigureAwait(false);
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return response.Status;
    }
}
