using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MeTAI.Dicom.Network;
using MeTAI.Service.Hosting;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Uploads;

/// <summary>
/// The service's DICOM storage SCP (<see cref="ServiceOptions.DicomPort"/>; off when 0): the same SCP as
/// <c>metai dicom listen</c>, each association received into its own staging folder and, when released, made into one
/// upload by <see cref="UploadIntake"/> exactly as a zip of the same files would be (same grouping, checks and
/// limits). An association that is aborted, or whose objects do not make a case, leaves no upload; the log says why.
/// </summary>
public sealed partial class DicomUploadListener(UploadIntake intake, IOptions<ServiceOptions> options, ILogger<DicomUploadListener> logger)
    : IHostedService, IStorageScpHandler, IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, string> _staged = new();
    private StorageScp? _scp;

    /// <summary>The port listened on, or 0 when the listener is off.</summary>
    public int Port => _scp?.Port ?? 0;

    /// <summary>Starts the SCP when a port is configured.</summary>
    /// <exception cref="ArgumentException">An invalid AE title, allow-list entry, address or port in the settings.</exception>
    /// <exception cref="IOException">The port cannot be bound.</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ServiceOptions o = options.Value;
        if (o.DicomPort == 0)
        {
            return Task.CompletedTask;
        }

        if (!IPAddress.TryParse(o.DicomBindAddress, out IPAddress? address))
        {
            throw new ArgumentException($"Service:DicomBindAddress '{o.DicomBindAddress}' is not an IP address.");
        }

        var scpOptions = new StorageScpOptions
        {
            AeTitle = AeTitle.Check(o.DicomAeTitle, "Service:DicomAeTitle"),
            Port = o.DicomPort is > 0 and <= 65535 ? o.DicomPort : throw new ArgumentException($"Service:DicomPort {o.DicomPort} is not a TCP port (1–65535, or 0 for none)."),
            BindAddress = address,
            AllowedCallingAeTitles = [.. o.DicomAllowedCallingAeTitles.Select(a => AeTitle.Check(a, "Service:DicomAllowedCallingAeTitles"))],
            MaxObjectBytes = Math.Min(1L << 30, o.MaxUploadUncompressedBytes),
        };
        _scp = new StorageScp(scpOptions, this);
        try
        {
            _scp.Start();
        }
        catch (SocketException ex)
        {
            throw new IOException($"The DICOM listener cannot listen on port {o.DicomPort} (Service:DicomPort): {ex.Message}", ex);
        }

        string allowed = scpOptions.AllowedCallingAeTitles.Count == 0 ? "any (set Service:DicomAllowedCallingAeTitles)" : string.Join(", ", scpOptions.AllowedCallingAeTitles);
        string bound = address.ToString();
        LogListening(logger, scpOptions.AeTitle, bound, _scp.Port, allowed);
        return Task.CompletedTask;
    }

    /// <summary>Stops the SCP (associations still open are aborted and leave no upload).</summary>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    /// <summary>Stops the SCP.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_scp is { } scp)
        {
            await scp.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public DicomStorageFolder FolderFor(AssociationInfo association)
    {
        ArgumentNullException.ThrowIfNull(association);
        (string id, string directory) = intake.BeginStaged();
        _staged[association.Number] = id;
        return new DicomStorageFolder(directory);
    }

    /// <inheritdoc/>
    public void AssociationRefused(string callingAeTitle, string remoteAddress, string reason) => LogRefused(logger, callingAeTitle, remoteAddress, reason);

    /// <inheritdoc/>
    public void ObjectRefused(AssociationInfo association, string sopInstanceUid, ushort status, string reason)
    {
        ArgumentNullException.ThrowIfNull(association);
        LogObjectRefused(logger, association.Number, association.CallingAeTitle, sopInstanceUid, DimseStatus.Describe(status), reason);
    }

    /// <inheritdoc/>
    public void AssociationEnded(AssociationInfo association, AssociationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(outcome);
        if (!_staged.TryRemove(association.Number, out string? id))
        {
            return;
        }

        if (!outcome.Released || outcome.Stored.Count == 0)
        {
            intake.DiscardStaged(id);
            if (!outcome.Released)
            {
                LogAborted(logger, association.Number, association.CallingAeTitle, outcome.Error ?? "aborted", outcome.Stored.Count);
            }

            return;
        }

        try
        {
            UploadSummary summary = intake.CompleteStaged(id, $"DICOM from {association.CallingAeTitle}", options.Value.DicomDeidentify);
            LogUpload(logger, association.Number, association.CallingAeTitle, summary.Id, outcome.Stored.Count, summary.Slices, summary.Structures.Count);
        }
        catch (UploadRejectedException ex)
        {
            LogRejected(logger, association.Number, association.CallingAeTitle, outcome.Stored.Count, ex.Title, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            intake.DiscardStaged(id);
            LogFailed(logger, ex, association.Number, association.CallingAeTitle);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM listener: {AeTitle} on {Address}:{Port}; calling AE titles allowed: {Allowed}")]
    private static partial void LogListening(ILogger logger, string aeTitle, string address, int port, string allowed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM association from {CallingAeTitle} ({Address}) refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string callingAeTitle, string address, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM association #{Number} from {CallingAeTitle}: object {SopInstanceUid} refused, {Status}: {Reason}")]
    private static partial void LogObjectRefused(ILogger logger, int number, string callingAeTitle, string sopInstanceUid, string status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM association #{Number} from {CallingAeTitle} ended without release ({Error}): its {Objects} object(s) make no upload")]
    private static partial void LogAborted(ILogger logger, int number, string callingAeTitle, string error, int objects);

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM association #{Number} from {CallingAeTitle}: {Objects} object(s) stored as upload {Id} ({Slices} CT slices, {Structures} structures)")]
    private static partial void LogUpload(ILogger logger, int number, string callingAeTitle, string id, int objects, int slices, int structures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM association #{Number} from {CallingAeTitle}: its {Objects} object(s) make no upload — {Title}: {Detail}")]
    private static partial void LogRejected(ILogger logger, int number, string callingAeTitle, int objects, string title, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "DICOM association #{Number} from {CallingAeTitle}: storing the upload failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, int number, string callingAeTitle);
}
