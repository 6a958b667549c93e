using MeTAI.Hil.Runner;
using MeTAI.Hil.Scenarios;

namespace MeTAI.Hil.Campaigns;

/// <summary>
/// What a campaign keeps of one run (<see cref="From"/>): a few hundred bytes instead of the run's trace, enough for
/// <see cref="CampaignMerge"/>. Records of runs made anywhere (this process's workers, other machines' units) merge into
/// the same figures, because the merge reads nothing else and orders them by <see cref="Index"/>.
/// </summary>
public sealed record CampaignRunRecord
{
    /// <summary>Run index within the campaign.</summary>
    public required int Index { get; init; }

    /// <summary>Run seed (<see cref="Campaign.RunSeed"/>).</summary>
    public required int Seed { get; init; }

    /// <summary>Safety assertions broken.</summary>
    public int Violations { get; init; }

    /// <summary>The broken assertions, <c>id: detail</c> joined by "; " (null when none broke).</summary>
    public string? Failure { get; init; }

    /// <summary>Faults injected.</summary>
    public int FaultsInjected { get; init; }

    /// <summary>The kinds of the scenario's faults (camelCase), one per fault, whether or not the run could start.</summary>
    public IReadOnlyList<string> FaultsScheduled { get; init; } = [];

    /// <summary>Reactions put to the test.</summary>
    public int ReactionsChecked { get; init; }

    /// <summary>Claims the run never put to the test, <c>id: detail</c>.</summary>
    public IReadOnlyList<string> NotExercised { get; init; } = [];

    /// <summary>Verdicts whose timing bound a witnessed stall relaxed, <c>id: detail</c>.</summary>
    public IReadOnlyList<string> StallRelaxed { get; init; } = [];

    /// <summary>Why the run could not complete (null: it did).</summary>
    public string? Error { get; init; }

    /// <summary>The controller's stop before any fault began (state and interlocks), or null.</summary>
    public string? StopBeforeFaults { get; init; }

    /// <summary>The longest witnessed stall of the test machine in the run (ms).</summary>
    public double LongestStallMs { get; init; }

    /// <summary>Garbage collection among the witnessed stalls (ms).</summary>
    public double StallGcMs { get; init; }

    /// <summary>The record of run <paramref name="index"/> (seed <paramref name="seed"/>) from its result.</summary>
    public static CampaignRunRecord From(int index, int seed, ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        static string Text(AssertionResult a) => $"{a.Id}: {a.Detail}";
        return new CampaignRunRecord
        {
            Index = index,
            Seed = seed,
            Violations = result.Violations,
            Failure = result.Violations > 0 ? string.Join("; ", result.Assertions.Where(a => a.IsViolation).Select(Text)) : null,
            FaultsInjected = result.FaultsInjected,
            FaultsScheduled = [.. result.Scenario.Faults.Select(f => KindName(f.Kind))],
            ReactionsChecked = result.Assertions.Count(a => a.Exercised && a.Kind is AssertionKind.Reaction or AssertionKind.TorqueOff),
            NotExercised = [.. result.Assertions.Where(a => !a.Exercised).Select(Text)],
            StallRelaxed = [.. result.Assertions.Where(a => a.Exercised && a.Detail.Contains(AssertionEvaluator.StallMarker, StringComparison.Ordinal)).Select(Text)],
            Error = result.Error,
            StopBeforeFaults = result.StopBeforeFaults,
            LongestStallMs = result.ProcessStalls.LongestMs,
            StallGcMs = result.ProcessStalls.GcMs,
        };
    }

    /// <summary>A fault kind as the campaign's JSON names it (camelCase).</summary>
    public static string KindName(FaultKind kind)
    {
        string name = kind.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
