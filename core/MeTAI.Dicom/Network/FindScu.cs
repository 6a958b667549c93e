using MeTAI.Dicom.IO;

namespace MeTAI.Dicom.Network;

/// <summary>
/// A Query SCU of the Study Root Query/Retrieve Information Model – FIND (PS3.4 Annex C): the studies of a patient, the
/// series of a study. Every answer is checked against what was asked (a study of another patient is refused), and a
/// cancelled query sends C-CANCEL-RQ and waits for the peer's final response.
/// </summary>
public static class FindScu
{
    /// <summary>The most matches read before the query is cancelled as too broad.</summary>
    public const int MaxMatches = 10_000;

    /// <summary>The studies of <paramref name="patientId"/> (or the one study <paramref name="studyInstanceUid"/> when it is that patient's).</summary>
    /// <exception cref="DicomNetworkException">No association, a failure status, or an answer for another patient.</exception>
    public static async Task<IReadOnlyList<DicomDataset>> FindStudiesAsync(DicomPeer peer, string callingAeTitle, string patientId, string? studyInstanceUid = null,
        DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        DicomDataset identifier = QueryKeys.Studies(patientId, studyInstanceUid);
        await using DicomAssociation association = await OpenAsync(peer, callingAeTitle, options, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DicomDataset> studies = await FindAsync(association, identifier, cancellationToken).ConfigureAwait(false);
        CheckPatient(peer, studies, QueryKeys.CheckPatientId(patientId));
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return studies;
    }

    /// <summary>The series of study <paramref name="studyInstanceUid"/>, after checking on the same association that the study is <paramref name="patientId"/>'s.</summary>
    /// <exception cref="DicomNetworkException">No association, a failure status, or no such study for that patient.</exception>
    public static async Task<IReadOnlyList<DicomDataset>> FindSeriesAsync(DicomPeer peer, string callingAeTitle, string patientId, string studyInstanceUid,
        DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        DicomDataset studyQuery = QueryKeys.Studies(patientId, studyInstanceUid);
        DicomDataset seriesQuery = QueryKeys.Series(studyInstanceUid);
        await using DicomAssociation association = await OpenAsync(peer, callingAeTitle, options, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DicomDataset> studies = await FindAsync(association, studyQuery, cancellationToken).ConfigureAwait(false);
        CheckPatient(peer, studies, QueryKeys.CheckPatientId(patientId));
        if (studies.Count == 0)
        {
            throw new DicomNetworkException($"{peer} has no study {studyInstanceUid} for patient '{patientId}'");
        }

        IReadOnlyList<DicomDataset> series = await FindAsync(association, seriesQuery, cancellationToken).ConfigureAwait(false);
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return series;
    }

    /// <summary>
    /// The studies of <paramref name="patientId"/> (or the one study <paramref name="studyInstanceUid"/> when it is that
    /// patient's), each with its series, on one association: a STUDY-level query, then a SERIES-level one per study.
    /// </summary>
    /// <exception cref="DicomNetworkException">No association, a failure status, or an answer for another patient.</exception>
    public static async Task<IReadOnlyList<StudyMatch>> FindPatientAsync(DicomPeer peer, string callingAeTitle, string patientId, string? studyInstanceUid = null,
        DicomNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        DicomDataset identifier = QueryKeys.Studies(patientId, studyInstanceUid);
        await using DicomAssociation association = await OpenAsync(peer, callingAeTitle, options, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<DicomDataset> studies = await FindAsync(association, identifier, cancellationToken).ConfigureAwait(false);
        CheckPatient(peer, studies, QueryKeys.CheckPatientId(patientId));
        var matches = new List<StudyMatch>();
        foreach (DicomDataset study in studies)
        {
            string uid = study.GetString(DicomTags.StudyInstanceUID)
                ?? throw new DicomNetworkException($"{peer} answered a study query with a match that has no Study Instance UID (0020,000D)");
            matches.Add(new StudyMatch(study, await FindAsync(association, QueryKeys.Series(uid), cancellationToken).ConfigureAwait(false)));
        }

        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return matches;
    }

    /// <summary>The presentation context a query association proposes.</summary>
    public static IReadOnlyList<PresentationContextProposal> Contexts { get; } =
        [new PresentationContextProposal(1, DicomNetworkUids.StudyRootFind, DicomNetworkUids.Uncompressed)];

    /// <summary>Runs one C-FIND on an open association that accepted Study Root FIND; the matches in order.</summary>
    /// <exception cref="DicomNetworkException">A failure status, too many matches, or the association failed.</exception>
    public static async Task<IReadOnlyList<DicomDataset>> FindAsync(DicomAssociation association, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(identifier);
        AcceptedContext context = association.FindContext(DicomNetworkUids.StudyRootFind)
            ?? throw new DicomNetworkException(ScuExchange.WhyNoContext(association, DicomNetworkUids.StudyRootFind));
        ushort messageId = association.NextMessageId();
        byte[] data = DicomWriter.Encode(identifier, new DicomWriteOptions { TransferSyntax = context.TransferSyntax });
        await association.SendAsync(context.Id, DimseMessage.FindRequest(messageId, DicomNetworkUids.StudyRootFind), data, cancellationToken).ConfigureAwait(false);
        var matches = new List<DicomDataset>();
        using var pending = new PendingOperation(association, context.Id, messageId, association.Options.ArtimTimeout, cancellationToken);
        while (true)
        {
            ReceivedMessage received = await association.ReceiveAsync(pending.Token).ConfigureAwait(false)
                ?? throw new DicomNetworkException($"{association.Peer} ended the association during a C-FIND");
            DimseMessage rsp = received.Message;
            if (rsp.CommandField != DimseCommandField.CFindResponse || rsp.MessageIdBeingRespondedTo != messageId)
            {
                await association.AbortAsync(AbortReason.UnexpectedPduParameter, 2).ConfigureAwait(false);
                throw new DicomProtocolException(AbortReason.UnexpectedPduParameter, $"{association.Peer} sent {rsp} during C-FIND #{messageId}");
            }

            if (DimseStatus.IsPending(rsp.Status) && rsp.HasDataSet)
            {
                byte[] match = await association.ReceiveDataSetAsync(ScuExchange.MaxIdentifierBytes, pending.Token).ConfigureAwait(false);
                matches.Add(Decode(association, match, context.TransferSyntax));
                if (matches.Count > MaxMatches)
                {
                    await association.AbortAsync().ConfigureAwait(false);
                    throw new DicomNetworkException($"{association.Peer} returned more than {MaxMatches} matches; narrow the query");
                }

                continue;
            }

            if (rsp.HasDataSet)
            {
                await association.ReceiveDataSetAsync(Stream.Null, ScuExchange.MaxIdentifierBytes, pending.Token).ConfigureAwait(false);
            }

            if (DimseStatus.IsPending(rsp.Status))
            {
                continue;
            }

            await pending.SettleAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (rsp.Status != DimseStatus.Success && !DimseStatus.IsWarning(rsp.Status))
            {
                throw new DicomNetworkException($"{association.Peer} answered the C-FIND with {DimseStatus.Describe(rsp.Status)}"
                    + (rsp.ErrorComment is { Length: > 0 } c ? $": {c}" : string.Empty));
            }

            return matches;
        }
    }

    private static Task<DicomAssociation> OpenAsync(DicomPeer peer, string callingAeTitle, DicomNetworkOptions? options, CancellationToken ct) =>
        DicomAssociation.RequestAsync(peer, callingAeTitle, [.. Contexts], null, options, ct);

    private static DicomDataset Decode(DicomAssociation association, byte[] data, DicomTransferSyntax syntax)
    {
        try
        {
            return DicomReader.ReadDataset(data, syntax);
        }
        catch (DicomFormatException ex)
        {
            throw new DicomNetworkException($"{association.Peer} sent a C-FIND match that does not parse: {ex.Message}", ex);
        }
    }

    private static void CheckPatient(DicomPeer peer, IReadOnlyList<DicomDataset> studies, string patientId)
    {
        foreach (DicomDataset study in studies)
        {
            string? id = study.GetString(DicomTags.PatientID);
            if (id is not null && id != patientId)
            {
                throw new DicomNetworkException($"{peer} answered a query for patient '{patientId}' with study {study.GetString(DicomTags.StudyInstanceUID)} of patient '{id}'");
            }
        }
    }
}
