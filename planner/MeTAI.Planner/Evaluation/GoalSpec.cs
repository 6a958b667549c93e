using System.Globalization;

namespace MeTAI.Planner.Evaluation;

/// <summary>
/// A clinical goal as a protocol states it: <c>{"structure": "PTV", "metric": "D95", "comparison": "&gt;=", "value":
/// 100, "unit": "%"}</c>. Metrics: <c>Dxx</c> (dose to the hottest xx % of the volume), <c>Dmean</c>, <c>Dmax</c>,
/// <c>Dmin</c>, <c>Dxxcc</c> (hottest xx cm³), <c>VxxGy</c> (volume % receiving ≥ xx Gy), <c>Vxx%</c> (volume %
/// receiving ≥ xx % of the prescription). Units for dose metrics: <c>Gy</c> or <c>%</c> (of the prescription); volume
/// metrics are in % of the structure.
/// </summary>
public sealed record GoalSpec
{
    /// <summary>Structure name.</summary>
    public required string Structure { get; init; }

    /// <summary>Metric, e.g. D95, Dmean, V65Gy.</summary>
    public required string Metric { get; init; }

    /// <summary><c>&gt;=</c> or <c>&lt;=</c>.</summary>
    public required string Comparison { get; init; }

    /// <summary>The limit, in <see cref="Unit"/>.</summary>
    public required double Value { get; init; }

    /// <summary><c>Gy</c> or <c>%</c>.</summary>
    public string Unit { get; init; } = "Gy";

    /// <summary>Priority (1 = must meet).</summary>
    public int Priority { get; init; } = 1;

    /// <summary>True for volume metrics (V…).</summary>
    public bool IsVolumeMetric => Metric.StartsWith('V');

    /// <summary>True when the goal asks for at least the value.</summary>
    public bool IsLowerLimit => Comparison == ">=";

    /// <summary>The limit in absolute units: Gy for dose metrics, % of volume for volume metrics.</summary>
    public double TargetValue(double prescriptionGy) => !IsVolumeMetric && Unit == "%" ? Value / 100 * prescriptionGy : Value;

    /// <summary>The unit of <see cref="TargetValue"/>.</summary>
    public string AbsoluteUnit => IsVolumeMetric ? "%" : "Gy";

    /// <summary>Throws with a clear message when the goal is malformed.</summary>
    public void Validate()
    {
        if (Comparison is not (">=" or "<="))
        {
            throw new ArgumentException($"Goal {Metric} on {Structure}: comparison must be >= or <=, got '{Comparison}'.");
        }

        if (Unit is not ("Gy" or "%"))
        {
            throw new ArgumentException($"Goal {Metric} on {Structure}: unit must be Gy or %, got '{Unit}'.");
        }

        if (!double.IsFinite(Value))
        {
            throw new ArgumentException($"Goal {Metric} on {Structure}: value must be a number.");
        }

        _ = DoseMetrics.Parse(Metric);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Structure} {Metric} {Comparison} {Value} {Unit}");
}
