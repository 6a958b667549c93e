namespace MeTAI.Planner.Evaluation;

/// <summary>Evaluates a protocol's clinical goals on structure doses.</summary>
public static class GoalEvaluator
{
    /// <summary>Each goal's achieved value and pass/fail; <paramref name="structures"/> maps names (case-insensitive) to doses.</summary>
    public static IReadOnlyList<GoalResult> Evaluate(IReadOnlyList<GoalSpec> goals, Func<string, StructureDose> structures, double prescriptionGy)
    {
        ArgumentNullException.ThrowIfNull(goals);
        ArgumentNullException.ThrowIfNull(structures);
        var results = new List<GoalResult>(goals.Count);
        foreach (GoalSpec g in goals)
        {
            StructureDose s = structures(g.Structure);
            double achieved = s.Value(DoseMetrics.Parse(g.Metric), prescriptionGy);
            double target = g.TargetValue(prescriptionGy);
            // Compared at the reporting precision (0.1 mGy / 0.001 %), so a plan normalised exactly to a goal passes it.
            double a = Math.Round(achieved, 4), t = Math.Round(target, 4);
            results.Add(new GoalResult
            {
                Structure = g.Structure,
                Metric = g.Metric,
                Comparison = g.Comparison,
                Target = target,
                Achieved = achieved,
                Unit = g.AbsoluteUnit,
                Passed = g.IsLowerLimit ? a >= t : a <= t,
                Priority = g.Priority,
            });
        }

        return results;
    }
}
