namespace MeTAI.Hil.Runner;

/// <summary>What a <see cref="ScenarioBatch"/> run produced.</summary>
public sealed class ScenarioBatchResult
{
    /// <summary>One outcome per scenario, in the order given.</summary>
    public required IReadOnlyList<ScenarioOutcome> Outcomes { get; init; }

    /// <summary>The full results (traces dropped once the report is written).</summary>
    public required IReadOnlyList<ScenarioResult> Results { get; init; }

    /// <summary><c>report.md</c>.</summary>
    public required string ReportPath { get; init; }

    /// <summary>The JUnit XML file.</summary>
    public required string JUnitPath { get; init; }

    /// <summary>Every scenario passed.</summary>
    public bool Passed => Outcomes.All(o => o.Passed);
}
