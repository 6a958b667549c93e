using System.Text.Json;
using MeTAI.Service.Plans;

namespace MeTAI.Service.Jobs;

/// <summary>
/// Runs plan jobs in the background. At start it recovers: jobs a previous process left <c>running</c> (a crash or
/// SIGKILL) are marked failed (<see cref="JobStore.InterruptedReason"/>) and their partial folders removed; queued jobs
/// are queued again. A graceful stop fails nothing: the running job goes back to <c>queued</c> (it restarts from the
/// beginning after the next start) and queued jobs are not started.
/// Each job's runner writes into <c>jobs/{id}.partial/</c>; on success the worker renames the folder to
/// <c>jobs/{id}/</c> and only then records the job succeeded, so a succeeded job always has its files. A plan's second
/// check (<see cref="PlanJobRequest.SecondCheckOf"/>) is a job like a plan, run by <see cref="SecondCheckRunner"/> on the
/// plan's folder; a rehearsal (<see cref="PlanJobRequest.Rehearsal"/>) is a job like them too, run by
/// <see cref="Rehearsals.RehearsalRunner"/>.
/// </summary>
public sealed partial class PlanWorker(PlanJobs jobs, IPlanRunner runner, SecondCheckRunner checks, Rehearsals.RehearsalRunner rehearsals, Audit.PhiAudit audit, TimeProvider time, ILogger<PlanWorker> logger, Microsoft.Extensions.Options.IOptions<Hosting.ServiceOptions> options)
    : BackgroundService
{
    /// <summary>How long a stopping service waits for a cancelled runner before it leaves it behind.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(1);

    /// <summary>Least time between progress writes to the database.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        DateTime now = time.GetUtcNow().UtcDateTime;
        foreach (string id in jobs.Store.FailInterrupted(now))
        {
            LogInterrupted(logger, id);
        }

        foreach (string dir in Directory.EnumerateDirectories(jobs.Paths.Jobs, "*.partial"))
        {
            Directory.Delete(dir, recursive: true);
        }

        foreach (JobRecord job in jobs.Store.QueuedJobs())
        {
            jobs.Requeue(job.Id);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int workers = Math.Max(1, options.Value.Workers);
        return Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (string id in jobs.Queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunOneAsync(id, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task RunOneAsync(string id, CancellationToken stoppingToken)
    {
        // The channel hands out items already queued without looking at the token: a stopping service must not start
        // (and so fail) the rest of the queue. They stay queued in the store and run after the next start.
        if (stoppingToken.IsCancellationRequested || !jobs.Store.TryStart(id, runner.Name, time.GetUtcNow().UtcDateTime))
        {
            return; // cancelled while queued, or already taken
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        jobs.Register(id, cts);
        string partial = jobs.Paths.JobPartial(id);
        bool abandoned = false;
        try
        {
            JobRecord job = jobs.Store.GetJob(id)!;
            PlanJobRequest request = JsonSerializer.Deserialize<PlanJobRequest>(job.RequestJson, PlanJobs.Json)!;
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }

            Directory.CreateDirectory(partial);
            LogStarted(logger, id, request.Rehearsal is not null ? "rehearsal" : request.SecondCheckOf is null ? "planning" : "second check of plan " + request.SecondCheckOf, request.CaseName, request.Protocol);
            var progress = new StoreProgress(jobs.Store, id, time);
            Task<string> run = Task.Run(() => RunnerAsync(request, partial, progress, cts.Token), CancellationToken.None);
            string outcome;
            try
            {
                outcome = await run.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested && !run.IsCompleted)
            {
                // Stopping: the runner was cancelled with us but may sit in a step it cannot leave (a kernel being
                // compiled). It gets ShutdownGrace, then is left behind so the stop stays quick; the job is queued
                // again below and its partial folder removed at the next start.
                Task first = await Task.WhenAny(run, Task.Delay(ShutdownGrace, CancellationToken.None)).ConfigureAwait(false);
                abandoned = first != run;
                throw;
            }

            cts.Token.ThrowIfCancellationRequested();
            string output = jobs.Paths.JobOutput(id);
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }

            Directory.Move(partial, output);
            jobs.Store.Succeed(id, outcome, time.GetUtcNow().UtcDateTime);
            if (request.SecondCheckOf is { } checkedPlan && JsonSerializer.Deserialize<SecondCheckOutcome>(outcome, PlanJobs.Json) is { } check)
            {
                audit.RecordSystem("secondChecked", ("plan", checkedPlan), ("check", id), ("passed", check.Passed ? "true" : "false"),
                    ("gammaPassRatePercent", check.GammaPassRatePercent.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("criteria", check.Criteria));
            }

            LogSucceeded(logger, id);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            bool shutdown = stoppingToken.IsCancellationRequested && !jobs.WasCancelRequested(id);
            if (shutdown)
            {
                // A graceful stop is not the job's fault: it goes back to the queue and starts again after the restart.
                jobs.Store.Requeue(id);
            }
            else
            {
                jobs.Store.Finish(id, JobStatus.Cancelled, "Cancelled on request while running.", time.GetUtcNow().UtcDateTime);
            }

            LogCancelled(logger, id, shutdown);
        }
        catch (Exception ex)
        {
            jobs.Store.Finish(id, JobStatus.Failed, ex.Message, time.GetUtcNow().UtcDateTime);
            LogFailed(logger, ex, id);
        }
        finally
        {
            jobs.Unregister(id);
            if (!abandoned && Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }
    }

    // The plan runner, the second-check runner for a check or the rehearsal runner for a rehearsal; the result as the store keeps it (JSON).
    private async Task<string> RunnerAsync(PlanJobRequest request, string partial, IProgress<PlanProgress> progress, CancellationToken ct) =>
        request.Rehearsal is not null
            ? JsonSerializer.Serialize(await rehearsals.RunAsync(request, partial, progress, ct).ConfigureAwait(false), PlanJobs.Json)
            : request.SecondCheckOf is { } plan
            ? JsonSerializer.Serialize(await checks.RunAsync(request, jobs.Paths.JobOutput(plan), partial, progress, ct).ConfigureAwait(false), PlanJobs.Json)
            : JsonSerializer.Serialize(await runner.RunAsync(request, partial, progress, ct).ConfigureAwait(false), PlanJobs.Json);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Id} was running when the service stopped; marked failed")]
    private static partial void LogInterrupted(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id}: {What}, case {Case} with protocol {Protocol}")]
    private static partial void LogStarted(ILogger logger, string id, string what, string @case, string protocol);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} succeeded")]
    private static partial void LogSucceeded(ILogger logger, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Id} stopped (service shutdown, queued again: {Shutdown})")]
    private static partial void LogCancelled(ILogger logger, string id, bool shutdown);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Id} failed")]
    private static partial void LogFailed(ILogger logger, Exception ex, string id);

    // Writes progress to the store at most every ProgressInterval, and at once whenever the phase changes (a detail
    // such as "beamlet 120/892" changes with every beamlet and is throttled).
    private sealed class StoreProgress(JobStore store, string id, TimeProvider time) : IProgress<PlanProgress>
    {
        private readonly Lock _gate = new();
        private long _lastTicks;
        private string? _lastPhase;

        public void Report(PlanProgress value)
        {
            lock (_gate)
            {
                long now = time.GetTimestamp();
                if (value.Phase == _lastPhase && time.GetElapsedTime(_lastTicks, now) < ProgressInterval)
                {
                    return;
                }

                _lastTicks = now;
                _lastPhase = value.Phase;
                // 100 % means succeeded: the worker still has the DVH and the move into place to do.
                store.SetProgress(id, Math.Min(value.Fraction, 0.99), value.Text);
            }
        }
    }
}
