using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using MeTAI.Service.Hosting;
using MeTAI.Service.Plans;

namespace MeTAI.Service.Jobs;

/// <summary>What a cancel request did.</summary>
public enum CancelOutcome
{
    /// <summary>No such job.</summary>
    NotFound,

    /// <summary>It had already finished.</summary>
    AlreadyFinished,

    /// <summary>It was queued and is now cancelled.</summary>
    Cancelled,

    /// <summary>It is running; the runner has been asked to stop and the job will end as cancelled.</summary>
    Requested,
}

/// <summary>
/// Submits, queues and cancels plan jobs. Jobs are rows of the <see cref="JobStore"/> first and queue entries second,
/// so a job accepted with 202 survives a restart; <see cref="PlanWorker"/> takes them off the queue.
/// </summary>
public sealed class PlanJobs
{
    /// <summary>JSON settings for stored requests and results.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _cancelBeforeRegistration = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _cancelRequested = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates the job service over <paramref name="store"/>.</summary>
    public PlanJobs(JobStore store, ServicePaths paths, TimeProvider time)
    {
        Store = store;
        Paths = paths;
        _time = time;
    }

    /// <summary>The store.</summary>
    public JobStore Store { get; }

    /// <summary>The data directory layout.</summary>
    public ServicePaths Paths { get; }

    /// <summary>Queue of job ids for the worker.</summary>
    public ChannelReader<string> Queue => _queue.Reader;

    /// <summary>Stores a new queued job and queues it.</summary>
    public JobRecord Submit(PlanJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string id = Guid.CreateVersion7().ToString("N");
        JobRecord job = Store.AddJob(id, JsonSerializer.Serialize(request, Json), _time.GetUtcNow().UtcDateTime);
        _queue.Writer.TryWrite(id);
        return job;
    }

    /// <summary>Queues a stored job again (start-up recovery).</summary>
    public void Requeue(string id) => _queue.Writer.TryWrite(id);

    /// <summary>Cancels a queued job at once, or asks a running one to stop.</summary>
    public CancelOutcome Cancel(string id)
    {
        JobRecord? job = Store.GetJob(id);
        if (job is null)
        {
            return CancelOutcome.NotFound;
        }

        if (!job.IsActive)
        {
            return CancelOutcome.AlreadyFinished;
        }

        if (Store.CancelQueued(id, _time.GetUtcNow().UtcDateTime))
        {
            return CancelOutcome.Cancelled;
        }

        if (_running.TryGetValue(id, out CancellationTokenSource? cts))
        {
            _cancelRequested[id] = true;
            cts.Cancel();
            return CancelOutcome.Requested;
        }

        // Between TryStart and registration: Register sees the request.
        _cancelRequested[id] = true;
        _cancelBeforeRegistration[id] = true;
        return Store.GetJob(id) is { IsActive: true } ? CancelOutcome.Requested : CancelOutcome.AlreadyFinished;
    }

    /// <summary>Deletes a finished job and its files; false when it is active or unknown.</summary>
    public bool Delete(string id)
    {
        if (!Store.DeleteFinished(id))
        {
            return false;
        }

        foreach (string dir in new[] { Paths.JobOutput(id), Paths.JobPartial(id) })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return true;
    }

    internal void Register(string id, CancellationTokenSource cts)
    {
        _running[id] = cts;
        if (_cancelBeforeRegistration.TryRemove(id, out _))
        {
            cts.Cancel();
        }
    }

    internal void Unregister(string id)
    {
        _running.TryRemove(id, out _);
        _cancelRequested.TryRemove(id, out _);
    }

    /// <summary>True when someone asked to cancel running job <paramref name="id"/> (not the service stopping).</summary>
    internal bool WasCancelRequested(string id) => _cancelRequested.ContainsKey(id);
}
