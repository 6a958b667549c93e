namespace MeTAI.Hil.Campaigns;

/// <summary>
/// A campaign's figures from its runs' records, whoever ran them and in whatever order they finished: the records are
/// ordered by run index first, so the same runs give the same result (samples and the first failure included).
/// </summary>
public static class CampaignMerge
{
    /// <summary>Merges <paramref name="records"/> (each run index once) into the campaign's result.</summary>
    /// <exception cref="ArgumentException">A run index appears twice.</exception>
    public static CampaignResult Merge(IEnumerable<CampaignRunRecord> records, CampaignSettings settings, int seed, int parallelism, double elapsedS)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(settings);
        List<CampaignRunRecord> all = [.. records.OrderBy(r => r.Index)];
        for (int k = 1; k < all.Count; k++)
        {
            if (all[k].Index == all[k - 1].Index)
            {
                throw new ArgumentException($"Run {all[k].Index} is counted twice.", nameof(records));
            }
        }

        var failures = all.Where(r => r.Violations > 0).Select(r => new CampaignFailure(r.Index, r.Seed, r.Failure ?? "")).ToList();
        return new CampaignResult
        {
            Runs = all.Count,
            Violations = all.Sum(r => r.Violations),
            RunsWithViolations = failures.Count,
            FaultsInjected = all.Sum(r => r.FaultsInjected),
            FaultsByKind = CountByKind(all.Where(r => r.Error is null)),
            FaultsScheduledByKind = CountByKind(all),
            NotExercised = all.Sum(r => r.NotExercised.Count),
            ReactionsChecked = all.Sum(r => r.ReactionsChecked),
            Errors = all.Count(r => r.Error is not null),
            FirstFailingSeed = failures.Count > 0 ? failures[0].Seed : null,
            FirstFailure = failures.Count > 0 ? failures[0].Failure : null,
            FailingRuns = failures,
            Settings = settings,
            Seed = seed,
            Parallelism = parallelism,
            ElapsedS = elapsedS,
            StopsBeforeFaults = all.Where(r => r.StopBeforeFaults is not null).GroupBy(r => r.StopBeforeFaults!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            NotExercisedSamples = [.. all.SelectMany(r => r.NotExercised.Select(e => $"seed {r.Seed}: {e}")).Take(10)],
            ErrorSamples = [.. all.Where(r => r.Error is not null).Take(5).Select(r => $"seed {r.Seed}: {r.Error}")],
            StallRelaxed = all.Sum(r => r.StallRelaxed.Count),
            StallRelaxedSamples = [.. all.SelectMany(r => r.StallRelaxed.Select(e => $"seed {r.Seed}: {e}")).Take(10)],
            ProcessStalls = (all.Select(r => r.LongestStallMs).DefaultIfEmpty(0).Max(), all.Sum(r => r.StallGcMs)),
        };
    }

    /// <summary>The running tally a long campaign logs every 25 runs (so it can be watched, and stopped, before its end).</summary>
    public static string Tally(IReadOnlyCollection<CampaignRunRecord> sofar, int done, int runs, double seconds) =>
        $"campaign: {done}/{runs} runs, {seconds:F0} s; so far {sofar.Sum(o => o.Violations)} violations, "
        + $"{sofar.Sum(o => o.NotExercised.Count)} not exercised, {sofar.Count(o => o.Error is not null)} errors, "
        + $"{sofar.Sum(o => o.StallRelaxed.Count)} bound(s) relaxed by a witnessed process stall (longest {sofar.Select(o => o.LongestStallMs).DefaultIfEmpty(0).Max():F1} ms)";

    private static Dictionary<string, int> CountByKind(IEnumerable<CampaignRunRecord> records) =>
        records.SelectMany(r => r.FaultsScheduled).GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
