using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;

namespace MeTAI.Hil.Campaigns;

/// <summary>
/// Runs of a campaign as units of work (docs/cluster.md, §4.1): runs [first, first + count) of a campaign, each drawn
/// from its run seed and run on the caller's rig slot exactly as <see cref="Campaign.RunAsync"/>'s workers run theirs,
/// returned as records for <see cref="CampaignMerge"/>. The local campaign's workers call <see cref="RunOneAsync"/> too,
/// so a run is the same code whichever machine runs it.
/// </summary>
public static class CampaignUnitRunner
{
    /// <summary>Runs [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the campaign <paramref name="options"/> on <paramref name="slot"/>.</summary>
    public static async Task<IReadOnlyList<CampaignRunRecord>> RunAsync(CampaignOptions options, int first, int count, CampaignRigSlot slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(slot);
        options.Validate();
        if (first < 0 || count < 1 || first + count > options.Runs)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Runs [{first}, {first + count}) are not within the campaign's {options.Runs}.");
        }

        var records = new List<CampaignRunRecord>(count);
        for (int i = first; i < first + count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            records.Add(await RunOneAsync(options, i, slot, cancellationToken).ConfigureAwait(false));
        }

        return records;
    }

    /// <summary>
    /// Run <paramref name="index"/> of the campaign on <paramref name="slot"/>'s rig (started when it has none; replaced
    /// after an error or when spent, so that whatever broke does not spill over). A run that breaks a safety assertion
    /// is logged at once, with its replay command and its failure report.
    /// </summary>
    public static async Task<CampaignRunRecord> RunOneAsync(CampaignOptions options, int index, CampaignRigSlot slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(slot);
        int seed = Campaign.RunSeed(options.Seed, index);
        Scenario s = CampaignScenario.Generate(seed, options.RobotPath);
        HilRig rig = slot.Rig ??= await Campaign.StartRigAsync(s, options, cancellationToken).ConfigureAwait(false);
        ScenarioResult r = await ScenarioRunner.RunOnRigAsync(rig, s, new ScenarioRunOptions
        {
            KeepTrace = false,
            Unsafe = options.Unsafe,
            SpinMarginUs = Campaign.SpinMarginUs,
            Realtime = options.Realtime,
            FailureReportDirectory = options.FailureReportDirectory,
        }, cancellationToken).ConfigureAwait(false);
        var record = CampaignRunRecord.From(index, seed, r);
        if (r.Violations > 0)
        {
            // At once, not only in the final result: a long campaign's failures must survive the campaign being stopped.
            options.Log?.Invoke($"campaign: run {index} (seed {seed}) broke {r.Violations} safety assertion(s): {record.Failure}"
                + $" (longest witnessed process stall in the run {r.ProcessStalls.LongestMs:F1} ms) — replay: metai hil campaign --replay {seed}{(options.Realtime ? " --rt" : "")}"
                + (r.ReportDirectory is { } artefacts ? $"; the run as it ran: {Path.Combine(Path.GetDirectoryName(artefacts)!, "report.md")}" : ""));
        }

        if (r.Error is not null || rig.Spent)
        {
            await slot.DisposeAsync().ConfigureAwait(false);
        }

        return record;
    }
}
