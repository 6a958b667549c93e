using MeTAI.Hil.Scenarios;
using MeTAI.Hil.Traces;

namespace MeTAI.Hil.Runner;

/// <summary>The outcome of one scenario run.</summary>
public sealed class ScenarioResult
{
    /// <summary>The scenario.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>Every assertion held and the run completed.</summary>
    public bool Passed => Error is null && Assertions.All(a => a.Passed);

    /// <summary>Why the run could not complete (setup failure, device error), if it did not.</summary>
    public string? Error { get; init; }

    /// <summary>Wall-clock seconds, set-up included.</summary>
    public double WallSeconds { get; init; }

    /// <summary>Verdicts.</summary>
    public IReadOnlyList<AssertionResult> Assertions { get; init; } = [];

    /// <summary>Faults injected.</summary>
    public int FaultsInjected { get; init; }

    /// <summary>Safety assertions broken.</summary>
    public int Violations => Assertions.Count(a => a.IsViolation);

    /// <summary>The recorded trace (when kept).</summary>
    public HilTrace? Trace { get; init; }

    /// <summary>The artefact folder, if any.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>Plots written (paths).</summary>
    public IReadOnlyList<string> Plots { get; init; } = [];

    /// <summary>Other artefacts written (trace CSV, beam log, audit log).</summary>
    public IReadOnlyList<string> Artefacts { get; init; } = [];

    /// <summary>
    /// The interlocks of the first stop (to Paused, Fault or EStop) before any fault began, or null when there was none:
    /// on a healthy rig that is a spurious trip (load on the machine); a campaign counts them by interlock.
    /// </summary>
    public string? StopBeforeFaults { get; init; }

    /// <summary>Attempts the set-up needed.</summary>
    public int SetupAttempts { get; init; } = 1;

    /// <summary>The controller ran with test-only switches that remove safety functions (negative tests), described.</summary>
    public string? UnsafeOptions { get; init; }

    /// <summary>The longest stall of the whole test process during the run (ms; <see cref="Traces.StallWitness"/>), and how
    /// much of the run's stalls was garbage collection; 0 when the witness was not real-time.</summary>
    public (double LongestMs, double GcMs) ProcessStalls { get; init; }

    /// <summary>Assertions whose timing bound was relaxed by a witnessed stall of the whole test process (each says by how much).</summary>
    public int StallRelaxed => Assertions.Count(a => a.Exercised && a.Detail.Contains(Runner.AssertionEvaluator.StallMarker, StringComparison.Ordinal));
}
