using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Network;

/// <summary>
/// The receiving half of C-STORE, shared by the storage SCP and the C-GET SCU: the data set streams from the
/// association into a spool file behind a File Meta Information header (the negotiated transfer syntax, the Source AE
/// Title), is checked once complete (it parses, its SOP Class and Instance UIDs are those of the command, it has a
/// Study Instance UID) and only then placed in the storage folder. A refused object, or one whose association ends
/// before its last fragment, leaves nothing behind.
/// </summary>
internal static class StoreReceiver
{
    /// <summary>What became of one C-STORE-RQ: the status to answer, a comment for failures, the object when stored.</summary>
    public readonly record struct Outcome(ushort Status, string? Comment, ReceivedObject? Stored);

    /// <summary>Receives the data set of <paramref name="request"/> (a C-STORE-RQ) and stores it; the caller sends the response.</summary>
    /// <exception cref="DicomNetworkException">The association failed or was aborted mid-object (nothing is kept).</exception>
    public static async Task<Outcome> ReceiveAsync(DicomAssociation association, ReceivedMessage request, DicomStorageFolder folder, long maxObjectBytes, CancellationToken ct)
    {
        DimseMessage rq = request.Message;
        if (!rq.HasDataSet)
        {
            throw new DicomProtocolException(AbortReason.NotSpecified, $"{association.Peer} sent a C-STORE-RQ without a data set");
        }

        string sopClass = rq.AffectedSopClassUid, sopInstance = rq.AffectedSopInstanceUid;
        string? refusal = sopClass != request.Context.AbstractSyntax
            ? $"SOP class {sopClass} does not match presentation context {request.Context.Id} ({request.Context.AbstractSyntax})"
            : !DicomUid.IsValid(sopInstance) ? $"Affected SOP Instance UID is not a valid UID: '{sopInstance}'" : null;
        if (refusal is not null)
        {
            await association.ReceiveDataSetAsync(Stream.Null, maxObjectBytes, ct).ConfigureAwait(false);
            return new Outcome(DimseStatus.CannotUnderstand, refusal, null);
        }

        string spool = folder.NewSpoolFile();
        try
        {
            long bytes = await SpoolAsync(association, request, spool, maxObjectBytes, ct).ConfigureAwait(false);
            return Check(spool, sopClass, sopInstance, request.Context.TransferSyntax.Uid, association.Request!.CallingAeTitle, bytes, folder);
        }
        catch (IOException ex)
        {
            return new Outcome(DimseStatus.OutOfResources, "cannot store: " + ex.Message, null);
        }
        finally
        {
            if (File.Exists(spool))
            {
                File.Delete(spool);
            }
        }
    }

    private static async Task<long> SpoolAsync(DicomAssociation association, ReceivedMessage request, string spool, long maxObjectBytes, CancellationToken ct)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, request.Message.AffectedSopClassUid);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, request.Message.AffectedSopInstanceUid);
        meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, association.Request!.CallingAeTitle);
        byte[] header = DicomWriter.EncodeHeader(meta, request.Context.TransferSyntax);
        await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await file.WriteAsync(header, ct).ConfigureAwait(false);
        long bytes = await association.ReceiveDataSetAsync(file, maxObjectBytes, ct).ConfigureAwait(false);
        await file.FlushAsync(ct).ConfigureAwait(false);
        file.Flush(flushToDisk: true);
        return bytes;
    }

    private static Outcome Check(string spool, string sopClass, string sopInstance, string syntax, string callingAe, long bytes, DicomStorageFolder folder)
    {
        string study;
        try
        {
            DicomDataset ds = DicomFile.Open(spool).Dataset;
            string? instanceInData = ds.GetString(DicomTags.SOPInstanceUID), classInData = ds.GetString(DicomTags.SOPClassUID);
            if (instanceInData != sopInstance || classInData != sopClass)
            {
                return new Outcome(DimseStatus.DataSetDoesNotMatchSopClass,
                    $"data set is {classInData ?? "no SOP class"} {instanceInData ?? "no SOP instance"}, the command {sopInstance}", null);
            }

            study = ds.GetString(DicomTags.StudyInstanceUID) ?? string.Empty;
        }
        catch (DicomFormatException ex)
        {
            return new Outcome(DimseStatus.CannotUnderstand, ex.Reason, null);
        }

        if (!DicomUid.IsValid(study))
        {
            return new Outcome(DimseStatus.DataSetDoesNotMatchSopClass, study.Length == 0 ? "no Study Instance UID (0020,000D)" : $"Study Instance UID '{study}' is not a valid UID", null);
        }

        string path = folder.Place(spool, sopClass, sopInstance, study);
        return new Outcome(DimseStatus.Success, null, new ReceivedObject(sopClass, sopInstance, study, syntax, path, bytes, callingAe));
    }
}
