using System.Globalization;

namespace MeTAI.Service.Plans.OpenField;

/// <summary>
/// Evaluates protocol goals on a dose (for the pre-planner runner; the planner has its own evaluator). Metrics:
/// <c>Dxx</c> (least dose to the hottest xx %), <c>Dxxcc</c>, <c>Dmean</c>, <c>Dmax</c>, <c>Dmin</c>, <c>VxxGy</c>
/// and <c>Vxx%</c> (percentage of the volume receiving at least that dose).
/// </summary>
public static class GoalEvaluation
{
    /// <summary>The goal's outcome, or throws naming the metric when it is not understood.</summary>
    public static GoalOutcome Evaluate(ProtocolGoal goal, StructureDose dose, double prescriptionGy)
    {
        ArgumentNullException.ThrowIfNull(goal);
        ArgumentNullException.ThrowIfNull(dose);
        string m = goal.Metric.Trim();
        bool volumeMetric = m.StartsWith('V');
        double achieved;
        if (volumeMetric)
        {
            string level = m[1..];
            double levelGy = level.EndsWith("Gy", StringComparison.OrdinalIgnoreCase) ? Number(level[..^2], goal)
                : level.EndsWith('%') ? Number(level[..^1], goal) / 100 * prescriptionGy
                : throw new FormatException($"Goal metric '{goal.Metric}' on {goal.Structure}: a V metric ends in Gy or %.");
            achieved = dose.VolumePercentAtDose(levelGy);
        }
        else
        {
            achieved = m switch
            {
                "Dmean" => dose.MeanGy,
                "Dmax" => dose.MaxGy,
                "Dmin" => dose.MinGy,
                _ when m.EndsWith("cc", StringComparison.OrdinalIgnoreCase) && m.StartsWith('D') => dose.DoseAtVolumeCc(Number(m[1..^2], goal)),
                _ when m.StartsWith('D') => dose.DoseAtVolumePercent(Number(m[1..], goal)),
                _ => throw new FormatException($"Goal metric '{goal.Metric}' on {goal.Structure} is not understood (Dxx, Dxxcc, Dmean, Dmax, Dmin, VxxGy, Vxx%)."),
            };
        }

        double target = !volumeMetric && goal.Unit == "%" ? goal.Value / 100 * prescriptionGy : goal.Value;
        bool passed = goal.Comparison switch
        {
            ">=" => achieved >= target,
            "<=" => achieved <= target,
            _ => throw new FormatException($"Goal {goal.Metric} on {goal.Structure}: comparison must be >= or <=."),
        };
        return new GoalOutcome
        {
            Structure = goal.Structure,
            Metric = goal.Metric,
            Comparison = goal.Comparison,
            Target = Math.Round(target, 4),
            Achieved = Math.Round(achieved, 4),
            Unit = volumeMetric ? "%" : "Gy",
            Passed = passed,
            Priority = goal.Priority,
        };
    }

    private static double Number(string text, ProtocolGoal goal) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new FormatException($"Goal metric '{goal.Metric}' on {goal.Structure}: '{text}' is not a number.");
}
