using MeTAI.Hil.Reports;

namespace MeTAI.Hil.Runner;

/// <summary>
/// One scenario run in a few numbers and paths, for callers that show a verdict rather than read the report (the demo,
/// the CLI's progress lines).
/// </summary>
public sealed record ScenarioOutcome
{
    /// <summary>Scenario name.</summary>
    public required string Name { get; init; }

    /// <summary>Every assertion held and the run completed.</summary>
    public required bool Passed { get; init; }

    /// <summary>Assertions judged.</summary>
    public required int AssertionsTotal { get; init; }

    /// <summary>Assertions that held.</summary>
    public required int AssertionsPassed { get; init; }

    /// <summary>Assertions that did not hold (not-exercised ones included: the run did not put them to the test).</summary>
    public int AssertionsFailed => AssertionsTotal - AssertionsPassed;

    /// <summary>Of the failed ones, those the run never put to the test.</summary>
    public required int AssertionsNotExercised { get; init; }

    /// <summary>Safety assertions put to the test that broke.</summary>
    public required int Violations { get; init; }

    /// <summary>The faults injected, as applied: "id: what (from–to s)".</summary>
    public required IReadOnlyList<string> FaultsInjected { get; init; }

    /// <summary>Why the run could not complete, if it did not.</summary>
    public string? Error { get; init; }

    /// <summary>Wall-clock seconds, set-up included.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>The scenario's artefact folder (plots, trace.csv, events.csv, beam-on.csv/json, audit.jsonl).</summary>
    public required string ScenarioDirectory { get; init; }

    /// <summary>The plots written.</summary>
    public required IReadOnlyList<string> Plots { get; init; }

    /// <summary><c>report.md</c> the scenario is in.</summary>
    public required string ReportPath { get; init; }

    /// <summary>The JUnit XML file the scenario is in.</summary>
    public required string JUnitPath { get; init; }

    /// <summary>Radiotherapy: every beam-on interval with its planned pose and the tool pose when it began (else empty).</summary>
    public required IReadOnlyList<BeamOnRecord> BeamOn { get; init; }
}
