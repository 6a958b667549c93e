using MeTAI.Service.Audit;
using MeTAI.Service.Hosting;
using MeTAI.Service.Jobs;
using Microsoft.Extensions.Options;

namespace MeTAI.Service.Uploads;

/// <summary>
/// Purges patient data after <see cref="ServiceOptions.RetentionDays"/> days (0: keep): at start and every hour, each
/// upload older than that is deleted with the plans made on it (<see cref="UploadCatalog.Delete"/>), and the purge is
/// audited. An upload with an active or approved plan on it is kept, and the log says why.
/// </summary>
public sealed partial class RetentionService(UploadCatalog catalog, JobStore store, PhiAudit audit, IOptions<ServiceOptions> options, TimeProvider time, ILogger<RetentionService> logger)
    : BackgroundService
{
    /// <summary>Runs one purge; returns the uploads removed.</summary>
    public IReadOnlyList<string> PurgeOnce()
    {
        int days = options.Value.RetentionDays;
        if (days <= 0)
        {
            return [];
        }

        var purged = new List<string>();
        foreach (string id in store.UploadsBefore(time.GetUtcNow().UtcDateTime.AddDays(-days)))
        {
            (UploadDeletion? done, string? problem, _) = catalog.Delete(id);
            if (done is null)
            {
                LogKept(logger, id, problem ?? "");
                continue;
            }

            audit.RecordSystem("purged", ("upload", id), ("plans", string.Join(' ', done.Plans)), ("retentionDays", days.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            LogPurged(logger, id, done.Plans.Count, days);
            purged.Add(id);
        }

        return purged;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                PurgeOnce();
                await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: purged upload {Id} and {Plans} plan(s) on it (older than {Days} days)")]
    private static partial void LogPurged(ILogger logger, string id, int plans, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention: kept upload {Id}: {Reason}")]
    private static partial void LogKept(ILogger logger, string id, string reason);
}
