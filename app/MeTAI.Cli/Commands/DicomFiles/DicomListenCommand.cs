using System.CommandLine;
using System.Net;
using MeTAI.Dicom.Network;

namespace MeTAI.Cli.Commands.DicomFiles;

/// <summary>
/// <c>metai dicom listen --port P [--aet AET] --out DIR [--allow AET]… [--seconds N]</c>: a C-ECHO and C-STORE SCP
/// (CT, MR, PET, RTSTRUCT, RTPLAN, RTDOSE) on every interface until Ctrl+C or SIGTERM. Received studies go into
/// <c>DIR/&lt;Study Instance UID&gt;/</c> laid out as cases (<c>ct/</c>, <c>rtstruct.dcm</c> …), each object written
/// whole or not at all; one line per association and per object.
/// </summary>
internal static class DicomListenCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "TCP port to listen on", Required = true };
        var aet = DicomNetworkCli.OurAeOption("Our AE title: associations calling another title are rejected");
        var output = new Option<string>("--out") { Description = "Folder for received studies (one sub-folder per Study Instance UID, laid out as a case)", Required = true };
        var allow = new Option<string[]>("--allow")
        {
            Description = "A calling AE title allowed to associate (repeat it, or separate titles by commas; default: any)",
        };
        var seconds = new Option<double>("--seconds") { Description = "Stop after this many seconds (default 0: until Ctrl+C or SIGTERM)" };
        var command = new Command("listen", "Receive DICOM objects: a C-ECHO and C-STORE SCP for CT, MR, PET, RTSTRUCT, RTPLAN and RTDOSE.")
        {
            port, aet, output, allow, seconds,
        };
        command.SetAction((parse, cancellationToken) => DicomNetworkCli.RunAsync(parse, async (stdout, _) =>
        {
            var options = new StorageScpOptions
            {
                AeTitle = AeTitle.Check(parse.GetValue(aet), "--aet"),
                Port = DicomNetworkCli.Port(parse.GetValue(port), "--port"),
                BindAddress = IPAddress.Any,
                AllowedCallingAeTitles = DicomNetworkCli.AeTitles(parse.GetValue(allow), "--allow"),
            };
            double s = parse.GetValue(seconds);
            if (s < 0 || double.IsNaN(s))
            {
                throw new ArgumentException($"--seconds {s} must be 0 (until stopped) or more.");
            }

            var console = new ListenConsole(stdout, Path.GetFullPath(parse.GetValue(output)!));
            int leftovers = console.Folder.RemoveSpoolLeftovers();
            await using var scp = new StorageScp(options, console);
            DicomNetworkCli.Start(scp, options.Port);
            console.Line($"listening as {options.AeTitle} on port {scp.Port} (C-ECHO; C-STORE of CT, MR, PT, RTSTRUCT, RTPLAN, RTDOSE), storing into {console.Folder.Root}; "
                + $"calling AE titles allowed: {(options.AllowedCallingAeTitles.Count == 0 ? "any" : string.Join(", ", options.AllowedCallingAeTitles))}"
                + (leftovers > 0 ? $"; removed {leftovers} incomplete object(s) an earlier run left" : string.Empty));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using IDisposable signals = DicomNetworkCli.CancelOnSignals(stop);
            try
            {
                await Task.Delay(s > 0 ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: stop below, aborting any association still open (its object in transfer is discarded).
            }

            await scp.DisposeAsync().ConfigureAwait(false);
            console.Line($"stopped: {DicomNetworkCli.Count(console.Associations, "association")}, {DicomNetworkCli.Count(console.Objects, "object")} stored");
            return 0;
        }));
        return command;
    }

    /// <summary>Prints the SCP's events, one line each.</summary>
    private sealed class ListenConsole(TextWriter stdout, string root) : IStorageScpHandler
    {
        private readonly Lock _write = new();
        private int _associations;
        private int _objects;

        public DicomStorageFolder Folder { get; } = new(root);

        public int Associations => Volatile.Read(ref _associations);

        public int Objects => Volatile.Read(ref _objects);

        public DicomStorageFolder FolderFor(AssociationInfo association) => Folder;

        public void AssociationRefused(string callingAeTitle, string remoteAddress, string reason) =>
            Line($"refused association from {callingAeTitle} ({remoteAddress}): {reason}");

        public void AssociationAccepted(AssociationInfo a)
        {
            Interlocked.Increment(ref _associations);
            Line($"association #{a.Number} from {a.CallingAeTitle} ({a.RemoteAddress}) to {a.CalledAeTitle}: accepted {a.AcceptedContexts} of {a.ProposedContexts} presentation contexts");
        }

        public void Echoed(AssociationInfo a) => Line($"association #{a.Number}: C-ECHO answered");

        public void ObjectStored(AssociationInfo a, ReceivedObject o)
        {
            Interlocked.Increment(ref _objects);
            Line($"association #{a.Number}: stored {o.Kind} {o.SopInstanceUid} ({DicomNetworkCli.SyntaxName(o.TransferSyntaxUid)}, {DicomNetworkCli.Size(o.Bytes)}) -> {o.Path}");
        }

        public void ObjectRefused(AssociationInfo a, string sopInstanceUid, ushort status, string reason) =>
            Line($"association #{a.Number}: refused {sopInstanceUid}: {DimseStatus.Describe(status)}: {reason}");

        public void AssociationEnded(AssociationInfo a, AssociationOutcome o) => Line(o.Released
            ? $"association #{a.Number} from {a.CallingAeTitle} released: {DicomNetworkCli.Count(o.Stored.Count, "object")} stored" + (o.Refused > 0 ? $", {o.Refused} refused" : string.Empty)
            : $"association #{a.Number} from {a.CallingAeTitle} aborted: {o.Error}; {DicomNetworkCli.Count(o.Stored.Count, "object")} stored" + (o.DiscardedInTransfer ? ", the object in transfer discarded" : string.Empty));

        public void Line(string text)
        {
            lock (_write)
            {
                stdout.WriteLine(text);
                stdout.Flush();
            }
        }
    }
}
