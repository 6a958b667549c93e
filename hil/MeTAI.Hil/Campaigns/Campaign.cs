using System.Collections.Concurrent;
using System.Diagnostics;
using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;

namespace MeTAI.Hil.Campaigns;

/// <summary>
/// A fault campaign: many short randomized scenarios (<see cref="CampaignScenario"/>), each run against the real
/// controller over real transports on a rig reused by its worker (reset between runs), the workers in parallel. A
/// violation is any safety assertion broken; every failing seed is reported (in run order) for replay.
/// </summary>
public static class Campaign
{
    /// <summary>
    /// Spin margin (µs) of campaign rigs' controller loop and haptic master: the campaign judges reactions in
    /// milliseconds, and a rig that spins less leaves the machine's cores to the other workers (replays use it too).
    /// </summary>
    public const double SpinMarginUs = 50;

    /// <summary>The seed of run <paramref name="index"/> of a campaign with seed <paramref name="seed"/>.</summary>
    public static int RunSeed(int seed, int index) => (int)((uint)(seed * 1_000_003 + index * 7919 + 17) & 0x7FFF_FFFF);

    /// <summary>Runs the campaign.</summary>
    public static async Task<CampaignResult> RunAsync(CampaignOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var sw = Stopwatch.StartNew();
        int next = -1;
        var outcomes = new ConcurrentBag<(int Index, int Seed, ScenarioResult Result)>();
        var workers = Enumerable.Range(0, Math.Min(options.Parallelism, options.Runs)).Select(w => Task.Run(async () =>
        {
            HilRig? rig = null;
            try
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < options.Runs && !cancellationToken.IsCancellationRequested)
                {
                    int seed = RunSeed(options.Seed, i);
                    Scenario s = CampaignScenario.Generate(seed, options.RobotPath);
                    rig ??= await StartRigAsync(s, options, cancellationToken).ConfigureAwait(false);
                    ScenarioResult r = await ScenarioRunner.RunOnRigAsync(rig, s, new ScenarioRunOptions { KeepTrace = false, Unsafe = options.Unsafe, SpinMarginUs = SpinMarginUs, Realtime = options.Realtime, FailureReportDirectory = options.FailureReportDirectory }, cancellationToken).ConfigureAwait(false);
                    outcomes.Add((i, seed, r));
                    if (r.Violations > 0)
                    {
                        // At once, not only in the final result: a long campaign's failures must survive the campaign being stopped.
                        options.Log?.Invoke($"campaign: run {i} (seed {seed}) broke {r.Violations} safety assertion(s): "
                            + string.Join("; ", r.Assertions.Where(a => a.IsViolation).Select(a => $"{a.Id}: {a.Detail}"))
                            + $" (longest witnessed process stall in the run {r.ProcessStalls.LongestMs:F1} ms) — replay: metai hil campaign --replay {seed}{(options.Realtime ? " --rt" : "")}"
                            + (r.ReportDirectory is { } artefacts ? $"; the run as it ran: {Path.Combine(Path.GetDirectoryName(artefacts)!, "report.md")}" : ""));
                    }
                    if (r.Error is not null || rig.Spent)
                    {
                        // Start the next run on a fresh rig: whatever broke (or a welded relay the controller latched) must not spill over.
                        await rig.DisposeAsync().ConfigureAwait(false);
                        rig = null;
                    }

                    if ((i + 1) % 25 == 0)
                    {
                        // The running tally, so that a long campaign can be watched (and stopped) before its end.
                        var sofar = outcomes.ToArray();
                        options.Log?.Invoke($"campaign: {i + 1}/{options.Runs} runs, {sw.Elapsed.TotalSeconds:F0} s; so far {sofar.Sum(o => o.Result.Violations)} violations, " +
                            $"{sofar.Sum(o => o.Result.Assertions.Count(a => !a.Exercised))} not exercised, {sofar.Count(o => o.Result.Error is not null)} errors, "
                            + $"{sofar.Sum(o => o.Result.StallRelaxed)} bound(s) relaxed by a witnessed process stall (longest {sofar.Select(o => o.Result.ProcessStalls.LongestMs).DefaultIfEmpty(0).Max():F1} ms)");
                    }
                }
            }
            finally
            {
                if (rig is not null)
                {
                    await rig.DisposeAsync().ConfigureAwait(false);
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);

        var all = outcomes.OrderBy(o => o.Index).ToList();
        var failing = all.Where(o => o.Result.Violations > 0).ToList();
        var failures = failing.Select(o => new CampaignFailure(o.Index, o.Seed,
            string.Join("; ", o.Result.Assertions.Where(a => a.IsViolation).Select(a => $"{a.Id}: {a.Detail}")))).ToList();
        var byKind = all.SelectMany(o => o.Result.Error is null ? o.Result.Scenario.Faults : []).GroupBy(f => f.Kind.ToString())
            .ToDictionary(g => char.ToLowerInvariant(g.Key[0]) + g.Key[1..], g => g.Count());
        return new CampaignResult
        {
            Runs = all.Count,
            Violations = all.Sum(o => o.Result.Violations),
            RunsWithViolations = failing.Count,
            FaultsInjected = all.Sum(o => o.Result.FaultsInjected),
            FaultsByKind = byKind,
            NotExercised = all.Sum(o => o.Result.Assertions.Count(a => !a.Exercised)),
            ReactionsChecked = all.Sum(o => o.Result.Assertions.Count(a => a.Exercised && a.Kind is AssertionKind.Reaction or AssertionKind.TorqueOff)),
            Errors = all.Count(o => o.Result.Error is not null),
            FirstFailingSeed = failures.Count > 0 ? failures[0].Seed : null,
            FirstFailure = failures.Count > 0 ? failures[0].Failure : null,
            FailingRuns = failures,
            Settings = SettingsOf(options),
            Seed = options.Seed,
            Parallelism = options.Parallelism,
            ElapsedS = sw.Elapsed.TotalSeconds,
            StopsBeforeFaults = all.Where(o => o.Result.StopBeforeFaults is not null).GroupBy(o => o.Result.StopBeforeFaults!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            NotExercisedSamples = [.. all.SelectMany(o => o.Result.Assertions.Where(a => !a.Exercised).Select(a => $"seed {o.Seed}: {a.Id}: {a.Detail}")).Take(10)],
            ErrorSamples = [.. all.Where(o => o.Result.Error is not null).Take(5).Select(o => $"seed {o.Seed}: {o.Result.Error}")],
            StallRelaxed = all.Sum(o => o.Result.StallRelaxed),
            StallRelaxedSamples = [.. all.SelectMany(o => o.Result.Assertions.Where(a => a.Exercised && a.Detail.Contains(AssertionEvaluator.StallMarker, StringComparison.Ordinal))
                .Select(a => $"seed {o.Seed}: {a.Id}: {a.Detail}")).Take(10)],
            ProcessStalls = (all.Select(o => o.Result.ProcessStalls.LongestMs).DefaultIfEmpty(0).Max(), all.Sum(o => o.Result.ProcessStalls.GcMs)),
        };
    }

    /// <summary>Runs one campaign scenario by its run seed on a rig of its own (replay), optionally with a report folder.</summary>
    public static Task<ScenarioResult> ReplayAsync(int runSeed, string robotPath, string? reportDirectory = null, bool realtime = false, CancellationToken cancellationToken = default) =>
        ScenarioRunner.RunAsync(CampaignScenario.Generate(runSeed, robotPath), new ScenarioRunOptions { ReportDirectory = reportDirectory, SpinMarginUs = SpinMarginUs, Realtime = realtime }, cancellationToken);

    /// <summary>The controller settings a campaign's rigs run with (built exactly as <see cref="StartRigAsync"/> builds them).</summary>
    public static CampaignSettings SettingsOf(CampaignOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Scenario s = CampaignScenario.Generate(RunSeed(options.Seed, 0), options.RobotPath);
        var runOptions = new ScenarioRunOptions { ExternalBroker = options.ExternalBroker, Users = options.Users, Unsafe = options.Unsafe, SpinMarginUs = SpinMarginUs, Realtime = options.Realtime };
        return CampaignSettings.Of(ScenarioRunner.RigOptionsFor(s, ScenarioRunner.Prepare(s, runOptions), runOptions, null).Rig);
    }

    private static Task<HilRig> StartRigAsync(Scenario s, CampaignOptions options, CancellationToken cancellationToken)
    {
        var runOptions = new ScenarioRunOptions { ExternalBroker = options.ExternalBroker, Users = options.Users, Unsafe = options.Unsafe, SpinMarginUs = SpinMarginUs, Realtime = options.Realtime };
        ScenarioRunner.Prepared prepared = ScenarioRunner.Prepare(s, runOptions);
        return HilRig.StartAsync(ScenarioRunner.RigOptionsFor(s, prepared, runOptions, null), cancellationToken);
    }
}
