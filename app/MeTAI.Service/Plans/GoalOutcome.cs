namespace MeTAI.Service.Plans;

/// <summary>
/// One clinical goal as report.json gives it: <c>{structure, metric, comparison, target, achieved, unit, passed}</c>.
/// <see cref="Target"/> and <see cref="Achieved"/> are in <see cref="Unit"/> (Gy for dose metrics, % of the structure
/// for volume metrics).
/// </summary>
public sealed record GoalOutcome
{
    /// <summary>Structure.</summary>
    public required string Structure { get; init; }

    /// <summary>Metric, e.g. D95, Dmean, V20Gy.</summary>
    public required string Metric { get; init; }

    /// <summary><c>&gt;=</c> or <c>&lt;=</c>.</summary>
    public required string Comparison { get; init; }

    /// <summary>The limit.</summary>
    public required double Target { get; init; }

    /// <summary>The plan's value.</summary>
    public required double Achieved { get; init; }

    /// <summary>Gy or %.</summary>
    public required string Unit { get; init; }

    /// <summary>Met or not.</summary>
    public required bool Passed { get; init; }

    /// <summary>Priority (1 = must meet).</summary>
    public int Priority { get; init; } = 1;
}
