using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Network;

/// <summary>
/// A Storage SCU (PS3.4 Annex B): sends files over one association. The contexts proposed follow the files: per SOP
/// class, the uncompressed syntaxes (explicit, then implicit VR little endian) for files we can re-encode, and one
/// context per compressed syntax found, since compressed pixel data is sent as it is (never decoded). Each file goes
/// on the context of its SOP class in its own syntax when the peer accepted it, else re-encoded into an accepted
/// uncompressed one; a compressed file whose syntax was refused fails with the peer's reason.
/// </summary>
public static class StoreScu
{
    /// <summary>Sends <paramref name="files"/> to <paramref name="peer"/>; one result per file, in order (also to <paramref name="progress"/> as each is done).</summary>
    /// <exception cref="DicomNetworkException">No association could be made (rejected, refused, timed out).</exception>
    public static async Task<IReadOnlyList<StoreResult>> SendAsync(DicomPeer peer, string callingAeTitle, IReadOnlyList<string> files,
        Action<StoreResult>? progress = null, DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(files);
        var results = new StoreResult?[files.Count];
        var sendable = new List<(int Index, string SopClass, string SopInstance, DicomTransferSyntax Syntax)>();
        for (int i = 0; i < files.Count; i++)
        {
            try
            {
                DicomFile file = DicomFile.Open(files[i]);
                (string sopClass, string sopInstance) = Identity(file);
                sendable.Add((i, sopClass, sopInstance, file.TransferSyntax));
            }
            catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
            {
                Report(results, progress, i, new StoreResult(files[i], null, null, null, null, ex.Message));
            }
        }

        if (sendable.Count > 0)
        {
            List<PresentationContextProposal> contexts = Proposals(sendable.Select(s => (s.SopClass, s.Syntax)));
            await using DicomAssociation association = await DicomAssociation.RequestAsync(peer, callingAeTitle, contexts, null, options, cancellationToken).ConfigureAwait(false);
            foreach ((int index, string sopClass, string sopInstance, DicomTransferSyntax syntax) in sendable)
            {
                if (association.State != AssociationState.Established)
                {
                    Report(results, progress, index, new StoreResult(files[index], sopClass, sopInstance, null, null, $"not sent: the association with {peer} ended ({association.State})"));
                    continue;
                }

                StoreResult r;
                try
                {
                    r = await SendOneAsync(association, files[index], sopClass, sopInstance, syntax, association.NextMessageId(), cancellationToken).ConfigureAwait(false);
                }
                catch (DicomNetworkException ex)
                {
                    r = new StoreResult(files[index], sopClass, sopInstance, null, null, ex.Message);
                }
                catch (Exception ex) when (ex is DicomFormatException or IOException or UnauthorizedAccessException)
                {
                    r = new StoreResult(files[index], sopClass, sopInstance, null, null, ex.Message);
                }

                Report(results, progress, index, r);
            }

            if (association.State == AssociationState.Established)
            {
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return [.. results.Select(r => r!)];
    }

    /// <summary>
    /// The contexts to propose for files of these SOP classes and syntaxes: per class, the uncompressed pair when a file
    /// can be re-encoded (native, deflated or big-endian data), and each encapsulated syntax on its own.
    /// </summary>
    public static List<PresentationContextProposal> Proposals(IEnumerable<(string SopClass, DicomTransferSyntax Syntax)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var wanted = new List<(string SopClass, IReadOnlyList<string> Syntaxes)>();
        foreach ((string sopClass, DicomTransferSyntax syntax) in files)
        {
            IReadOnlyList<string> syntaxes = syntax.IsEncapsulated ? [syntax.Uid] : DicomNetworkUids.Uncompressed;
            if (!wanted.Exists(w => w.SopClass == sopClass && w.Syntaxes.SequenceEqual(syntaxes)))
            {
                wanted.Add((sopClass, syntaxes));
            }
        }

        if (wanted.Count > 128)
        {
            throw new ArgumentException($"these files need {wanted.Count} presentation contexts (one per SOP class and compressed syntax); an association holds 128. Send them in smaller groups.");
        }

        return [.. wanted.Select((w, i) => new PresentationContextProposal((byte)(2 * i + 1), w.SopClass, w.Syntaxes))];
    }

    private static async Task<StoreResult> SendOneAsync(DicomAssociation association, string path, string sopClass, string sopInstance, DicomTransferSyntax syntax, ushort messageId, CancellationToken ct)
    {
        AcceptedContext? context = syntax.IsEncapsulated
            ? association.FindContext(sopClass, syntax.Uid)
            : association.FindContext(sopClass, DicomNetworkUids.ExplicitVRLittleEndian) ?? association.FindContext(sopClass, DicomNetworkUids.ImplicitVRLittleEndian);
        if (context is null)
        {
            string why = ScuExchange.WhyNoContext(association, sopClass);
            return new StoreResult(path, sopClass, sopInstance, null, null, syntax.IsEncapsulated ? $"{why} in {syntax} (compressed data is sent as it is)" : why);
        }

        // Read again rather than hold every file: only one data set is in memory at a time.
        DicomFile file = DicomFile.Open(path);
        byte[] data = DicomWriter.Encode(file.Dataset, new DicomWriteOptions { TransferSyntax = context.TransferSyntax, ValidateUids = false });
        await association.SendAsync(context.Id, DimseMessage.StoreRequest(messageId, sopClass, sopInstance), data, ct).ConfigureAwait(false);
        DimseMessage rsp = await ScuExchange.ExpectResponseAsync(association, DimseCommandField.CStoreResponse, messageId, ct).ConfigureAwait(false);
        string? error = DimseStatus.IsSuccessOrWarning(rsp.Status) ? null
            : $"{association.Peer} answered {DimseStatus.Describe(rsp.Status)}" + (rsp.ErrorComment is { Length: > 0 } c ? $": {c}" : string.Empty);
        return new StoreResult(path, sopClass, sopInstance, context.TransferSyntax.Uid, rsp.Status, error);
    }

    private static (string SopClass, string SopInstance) Identity(DicomFile file)
    {
        string? sopClass = file.Dataset.GetString(DicomTags.SOPClassUID) ?? file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID);
        string? sopInstance = file.Dataset.GetString(DicomTags.SOPInstanceUID) ?? file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID);
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
        {
            throw new DicomFormatException($"no {(string.IsNullOrEmpty(sopClass) ? "SOP Class UID (0008,0016)" : "SOP Instance UID (0008,0018)")}: not a storable SOP instance", -1);
        }

        return (sopClass, sopInstance);
    }

    private static void Report(StoreResult?[] results, Action<StoreResult>? progress, int index, StoreResult result)
    {
        results[index] = result;
        progress?.Invoke(result);
    }
}
