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
        var records = new ConcurrentBag<CampaignRunRecord>();
        var workers = Enumerable.Range(0, Math.Min(options.Parallelism, options.Runs)).Select(w => Task.Run(async () =>
        {
            var slot = new CampaignRigSlot();
            await using (slot.ConfigureAwait(false))
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < options.Runs && !cancellationToken.IsCancellationRequested)
                {
                    records.Add(await CampaignUnitRunner.RunOneAsync(options, i, slot, cancellationToken).ConfigureAwait(false));
                    if ((i + 1) % 25 == 0)
                    {
                        options.Log?.Invoke(CampaignMerge.Tally(records.ToArray(), i + 1, options.Runs, sw.Elapsed.TotalSeconds));
                    }
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return CampaignMerge.Merge(records, SettingsOf(options), options.Seed, options.Parallelism, sw.Elapsed.TotalSeconds);
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

    /// <summary>A rig for a campaign's runs, started as <see cref="SettingsOf"/> describes it.</summary>
    internal static Task<HilRig> StartRigAsync(Scenario s, CampaignOptions options, CancellationToken cancellationToken)
    {
        var runOptions = new ScenarioRunOptions { ExternalBroker = options.ExternalBroker, Users = options.Users, Unsafe = options.Unsafe, SpinMarginUs = SpinMarginUs, Realtime = options.Realtime };
        ScenarioRunner.Prepared prepared = ScenarioRunner.Prepare(s, runOptions);
        return HilRig.StartAsync(ScenarioRunner.RigOptionsFor(s, prepared, runOptions, null), cancellationToken);
    }
}
