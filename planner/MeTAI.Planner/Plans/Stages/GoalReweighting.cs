using System.Globalization;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Optimization.Objectives;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// Goal-driven re-weighting, shared by the fluence optimisation and the segment weights on the Monte Carlo doses: a
/// goal fails when it misses its margin, and the objectives that push its way are boosted before the next round.
/// </summary>
internal static class GoalReweighting
{
    /// <summary>The goals that miss <paramref name="margin"/> (upper limits must be met with that relative margin; lower limits must pass).</summary>
    public static List<GoalResult> Failing(IReadOnlyList<GoalResult> goals, double margin) => [.. goals.Where(g => !PassesWithMargin(g, margin))];

    /// <summary>"none", or each failing goal as "structure metric achieved/target".</summary>
    public static string Describe(List<GoalResult> failing) =>
        failing.Count == 0 ? "none" : string.Join(", ", failing.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Structure} {f.Metric} {f.Achieved:0.00}/{f.Target:0.00}")));

    /// <summary>Doubles (priority 1) or multiplies by 1.5 the weights of the objectives that push a failing goal's way.</summary>
    public static void Boost(List<IObjective> objectives, List<GoalResult> failing)
    {
        foreach (GoalResult f in failing)
        {
            bool upper = f.Comparison == "<=";
            foreach (IObjective o in objectives)
            {
                if (string.Equals(o.Structure, f.Structure, StringComparison.OrdinalIgnoreCase) && (upper ? o.PenalizesHighDose : o.PenalizesLowDose))
                {
                    o.Weight *= f.Priority <= 1 ? 2.0 : 1.5;
                }
            }
        }
    }

    private static bool PassesWithMargin(GoalResult g, double margin) =>
        g.Comparison == "<=" ? g.Achieved <= g.Target * (1 - margin) + 1e-9 : g.Passed;
}
