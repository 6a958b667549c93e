namespace MeTAI.Planner.Evaluation;

/// <summary>A clinical goal evaluated on a dose (report.json <c>goals</c>).</summary>
public sealed record GoalResult
{
    /// <summary>Structure name.</summary>
    public required string Structure { get; init; }

    /// <summary>Metric, e.g. D95.</summary>
    public required string Metric { get; init; }

    /// <summary><c>&gt;=</c> or <c>&lt;=</c>.</summary>
    public required string Comparison { get; init; }

    /// <summary>The limit in <see cref="Unit"/>.</summary>
    public required double Target { get; init; }

    /// <summary>The achieved value in <see cref="Unit"/>.</summary>
    public required double Achieved { get; init; }

    /// <summary>Gy for dose metrics, % (of volume) for volume metrics.</summary>
    public required string Unit { get; init; }

    /// <summary>Whether the goal is met.</summary>
    public required bool Passed { get; init; }

    /// <summary>Priority from the protocol.</summary>
    public int Priority { get; init; } = 1;
}
