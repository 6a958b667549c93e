namespace MeTAI.Hil.Campaigns;

/// <summary>What a campaign found.</summary>
public sealed class CampaignResult
{
    /// <summary>Runs completed (errors included).</summary>
    public int Runs { get; init; }

    /// <summary>Safety assertions broken, over all runs.</summary>
    public int Violations { get; init; }

    /// <summary>Runs with at least one violation.</summary>
    public int RunsWithViolations { get; init; }

    /// <summary>Faults injected, over all runs.</summary>
    public int FaultsInjected { get; init; }

    /// <summary>Faults injected by kind (the faults of the runs that could start).</summary>
    public IReadOnlyDictionary<string, int> FaultsByKind { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// Faults scheduled by kind: every run's scenario, whether or not it could start — fixed by the campaign's seed and
    /// run count alone, so two campaigns of the same runs agree on it wherever they ran.
    /// </summary>
    public IReadOnlyDictionary<string, int> FaultsScheduledByKind { get; init; } = new Dictionary<string, int>();

    /// <summary>Reactions a run never put to the test (the controller had already stopped for another reason).</summary>
    public int NotExercised { get; init; }

    /// <summary>Reactions that were put to the test (and held or broke).</summary>
    public int ReactionsChecked { get; init; }

    /// <summary>Runs that could not complete (set-up failed; a rig is rebuilt after one).</summary>
    public int Errors { get; init; }

    /// <summary>Seed of the first run (by index) with a violation; replay with <c>metai hil campaign --replay SEED</c>.</summary>
    public int? FirstFailingSeed { get; init; }

    /// <summary>What broke in that run.</summary>
    public string? FirstFailure { get; init; }

    /// <summary>Every run with a violation, by run index: its seed (for replay) and what broke.</summary>
    public IReadOnlyList<CampaignFailure> FailingRuns { get; init; } = [];

    /// <summary>The controller settings the runs ran with (read from the rig options).</summary>
    public required CampaignSettings Settings { get; init; }

    /// <summary>Campaign seed.</summary>
    public int Seed { get; init; }

    /// <summary>Workers.</summary>
    public int Parallelism { get; init; }

    /// <summary>Wall-clock seconds.</summary>
    public double ElapsedS { get; init; }

    /// <summary>Runs per minute of wall-clock time.</summary>
    public double RunsPerMinute => ElapsedS > 0 ? Runs / ElapsedS * 60 : 0;

    /// <summary>Runs whose controller stopped before any fault began (spurious trips on a loaded machine), by state and interlocks.</summary>
    public IReadOnlyDictionary<string, int> StopsBeforeFaults { get; init; } = new Dictionary<string, int>();

    /// <summary>Why reactions were not exercised: the first 10 (seed, assertion, the judge's reason).</summary>
    public IReadOnlyList<string> NotExercisedSamples { get; init; } = [];

    /// <summary>First error messages (at most 5).</summary>
    public IReadOnlyList<string> ErrorSamples { get; init; } = [];

    /// <summary>Assertions whose timing bound was relaxed by a witnessed stall of the whole test process (<see cref="Traces.StallWitness"/>), each by
    /// the stall it measured; and the runs they fell in.</summary>
    public int StallRelaxed { get; init; }

    /// <summary>Up to 10 of those verdicts, with their seeds.</summary>
    public IReadOnlyList<string> StallRelaxedSamples { get; init; } = [];

    /// <summary>The longest stall of the whole test process witnessed in any run (ms), and the garbage collection time among all witnessed stalls (ms).</summary>
    public (double LongestMs, double GcMs) ProcessStalls { get; init; }
}

/// <summary>One campaign run that broke a safety assertion.</summary>
/// <param name="Index">Run index within the campaign.</param>
/// <param name="Seed">Run seed; replay with <c>metai hil campaign --replay SEED</c>.</param>
/// <param name="Failure">The broken assertions and what the evaluator saw.</param>
public sealed record CampaignFailure(int Index, int Seed, string Failure);
