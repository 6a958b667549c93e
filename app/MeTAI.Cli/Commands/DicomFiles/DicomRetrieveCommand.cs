using System.CommandLine;
using System.Net;
using MeTAI.Dicom;
using MeTAI.Dicom.Network;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom retrieve --from AET@HOST:PORT --patient ID [--study UID] --out DIR [--move-to AET --port P
/// [--allow AET]…] [--aet OURS]</c>: finds the patient's studies (or checks that the one named is the patient's), then
/// retrieves each by C-GET (the default: the objects come back on the same association) or, with <c>--move-to</c>, by
/// C-MOVE to a storage SCP this command runs for the while as that AE title on port P (the peer must know it at this
/// host and port; it takes associations from the peer's AE title and those given by <c>--allow</c>). Studies land in
/// <c>DIR/&lt;Study Instance UID&gt;/</c> laid out as cases (<c>ct/</c>, <c>rtstruct.dcm</c> …).
/// </summary>
internal static class DicomRetrieveCommand
{
    public static Command Create()
    {
        var from = DicomNetworkCli.PeerOption("--from", "The peer to retrieve from, e.g. a PACS");
        var patient = new Option<string>("--patient") { Description = "Patient ID (exact, no wildcards)", Required = true };
        var study = new Option<string?>("--study") { Description = "Study Instance UID (default: every study of the patient)" };
        var output = new Option<string>("--out") { Description = "Folder for the studies (one sub-folder per Study Instance UID, laid out as a case)", Required = true };
        var moveTo = new Option<string?>("--move-to") { Description = "Retrieve by C-MOVE to this AE title: ours, served on --port while the command runs (default: C-GET)" };
        var port = new Option<int?>("--port") { Description = "TCP port of our storage SCP for --move-to" };
        var allow = new Option<string[]>("--allow") { Description = "With --move-to: a further calling AE title our storage SCP accepts besides the peer's (repeatable)" };
        var aet = DicomNetworkCli.OurAeOption();
        var command = new Command("retrieve", "Retrieve a patient's studies from a peer (C-GET, or C-MOVE to us).") { from, patient, study, output, moveTo, port, allow, aet };
        command.SetAction((parse, cancellationToken) => DicomNetworkCli.RunAsync(parse, async (stdout, stderr) =>
        {
            DicomPeer peer = DicomPeer.Parse(parse.GetValue(from)!);
            string ours = AeTitle.Check(parse.GetValue(aet), "--aet");
            string patientId = QueryKeys.CheckPatientId(parse.GetValue(patient));
            string? destination = parse.GetValue(moveTo) is { } m ? AeTitle.Check(m, "--move-to") : null;
            int? movePort = parse.GetValue(port);
            if (destination is not null != movePort.HasValue)
            {
                throw new ArgumentException(destination is not null ? "--move-to needs --port P, the port our storage SCP listens on for the peer's C-STOREs." : "--port goes with --move-to.");
            }

            List<string> allowed = DicomNetworkCli.AeTitles(parse.GetValue(allow), "--allow");
            if (allowed.Count > 0 && destination is null)
            {
                throw new ArgumentException("--allow goes with --move-to.");
            }

            string? studyUid = parse.GetValue(study)?.Trim();
            IReadOnlyList<DicomDataset> studies = await FindScu.FindStudiesAsync(peer, ours, patientId, studyUid, null, cancellationToken).ConfigureAwait(false);
            if (studies.Count == 0)
            {
                throw new ArgumentException($"{peer} has no {(studyUid is not null ? $"study {studyUid}" : "study")} of patient '{patientId}'.");
            }

            var folder = new DicomStorageFolder(parse.GetValue(output)!);
            List<string> uids = [.. studies.Select(d => d.GetString(DicomTags.StudyInstanceUID)!)];
            bool ok = destination is null
                ? await GetAsync(stdout, peer, ours, uids, folder, cancellationToken).ConfigureAwait(false)
                : await MoveAsync(stdout, peer, ours, (destination, DicomNetworkCli.Port(movePort!.Value, "--port"), [peer.AeTitle, .. allowed]), uids, folder, cancellationToken).ConfigureAwait(false);
            if (!ok)
            {
                stderr.WriteLine($"metai: the retrieve from {peer} did not complete (see the FAILED line above); what arrived whole is kept in {folder.Root}");
            }

            return ok ? 0 : 1;
        }));
        return command;
    }

    private static async Task<bool> GetAsync(TextWriter stdout, DicomPeer peer, string ours, List<string> studies, DicomStorageFolder folder, CancellationToken ct)
    {
        bool ok = true;
        await using DicomAssociation association = await RetrieveScu.OpenGetAsync(peer, ours, null, ct).ConfigureAwait(false);
        foreach (string uid in studies)
        {
            RetrieveResult r = await RetrieveScu.GetAsync(association, QueryKeys.RetrieveStudy(uid), folder, 1L << 30, null, ct).ConfigureAwait(false);
            ok &= Report(stdout, "C-GET", uid, r, r.Stored, folder);
        }

        await association.ReleaseAsync(ct).ConfigureAwait(false);
        return ok;
    }

    private static async Task<bool> MoveAsync(TextWriter stdout, DicomPeer peer, string ours, (string AeTitle, int Port, List<string> Allowed) scpAt,
        List<string> studies, DicomStorageFolder folder, CancellationToken ct)
    {
        var receiver = new MoveReceiver(folder, stdout);
        var options = new StorageScpOptions { AeTitle = scpAt.AeTitle, Port = scpAt.Port, BindAddress = IPAddress.Any, AllowedCallingAeTitles = scpAt.Allowed.Distinct(StringComparer.Ordinal).ToList() };
        await using var scp = new StorageScp(options, receiver);
        DicomNetworkCli.Start(scp, scpAt.Port);
        stdout.WriteLine($"receiving as {scpAt.AeTitle} on port {scp.Port} (calling AE titles allowed: {string.Join(", ", options.AllowedCallingAeTitles)})");
        bool ok = true;
        await using DicomAssociation association = await RetrieveScu.OpenMoveAsync(peer, ours, null, ct).ConfigureAwait(false);
        foreach (string uid in studies)
        {
            int before = receiver.Stored.Count;
            RetrieveResult r = await RetrieveScu.MoveAsync(association, QueryKeys.RetrieveStudy(uid), scpAt.AeTitle, ct).ConfigureAwait(false);
            // The final C-MOVE-RSP may overtake the end of the peer's storage association: let it finish.
            await scp.WaitUntilIdleAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            ok &= Report(stdout, "C-MOVE", uid, r, [.. receiver.Stored.Skip(before)], folder);
            if (!DimseStatus.IsSuccessOrWarning(r.Status) && receiver.Stored.Count == before)
            {
                stdout.WriteLine($"  {peer} must know {scpAt.AeTitle} as a DICOM modality at this host's address and port {scp.Port} to move studies to it.");
            }
        }

        await association.ReleaseAsync(ct).ConfigureAwait(false);
        return ok;
    }

    private static bool Report(TextWriter stdout, string how, string study, RetrieveResult r, IReadOnlyList<ReceivedObject> stored, DicomStorageFolder folder)
    {
        string kinds = string.Join(", ", stored.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        bool ok = r.Succeeded && DimseStatus.IsSuccessOrWarning(r.Status);
        stdout.WriteLine(ok
            ? $"retrieved study {study} ({how}): {DicomNetworkCli.Count(stored.Count, "object")}{(kinds.Length > 0 ? $" ({kinds})" : string.Empty)} into {folder.StudyDirectory(study)}"
            : $"FAILED study {study} ({how}): {DimseStatus.Describe(r.Status)}{(r.ErrorComment is { Length: > 0 } c ? $": {c}" : string.Empty)}; "
                + $"{r.Completed} sub-operation(s) completed, {r.Failed} failed, {r.Warning} with warnings; {DicomNetworkCli.Count(stored.Count, "object")} stored{(r.Refused > 0 ? $", {r.Refused} refused by us" : string.Empty)}");
        return ok;
    }

    /// <summary>Collects what the peer's C-MOVE sub-operations store into our SCP; prints refusals.</summary>
    private sealed class MoveReceiver(DicomStorageFolder folder, TextWriter stdout) : IStorageScpHandler
    {
        private readonly List<ReceivedObject> _stored = [];

        public IReadOnlyList<ReceivedObject> Stored
        {
            get
            {
                lock (_stored)
                {
                    return [.. _stored];
                }
            }
        }

        public DicomStorageFolder FolderFor(AssociationInfo association) => folder;

        public void AssociationRefused(string callingAeTitle, string remoteAddress, string reason) =>
            Line($"  refused association from {callingAeTitle} ({remoteAddress}): {reason}");

        public void ObjectRefused(AssociationInfo association, string sopInstanceUid, ushort status, string reason) =>
            Line($"  refused {sopInstanceUid} from {association.CallingAeTitle}: {DimseStatus.Describe(status)}: {reason}");

        public void AssociationEnded(AssociationInfo association, AssociationOutcome outcome)
        {
            if (!outcome.Released)
            {
                Line($"  the storage association from {association.CallingAeTitle} was aborted: {outcome.Error}" + (outcome.DiscardedInTransfer ? "; the object in transfer discarded" : string.Empty));
            }
        }

        public void ObjectStored(AssociationInfo association, ReceivedObject stored)
        {
            lock (_stored)
            {
                _stored.Add(stored);
            }
        }

        private void Line(string text)
        {
            lock (_stored)
            {
                stdout.WriteLine(text);
            }
        }
    }
}
