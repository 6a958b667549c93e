using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Output;

/// <summary>
/// What denoising did to a plan's final dose, so it stays honest (issue 23): per structure the mean relative σ of the
/// raw Monte Carlo dose and of the dose that is exported (denoised when asked), and the goals whose pass/fail differs
/// between the two. The goals themselves are always evaluated on the exported dose.
/// </summary>
public static class DenoisingSummary
{
    /// <summary>Per structure, the mean relative σ over its voxels (fractions): raw, and as exported.</summary>
    public static IReadOnlyList<(string Structure, double Raw, double Exported)> SigmaPerStructure(PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        float[] raw = result.FinalDose.RawRelativeUncertainty.Data, exported = result.FinalDose.RelativeUncertainty.Data;
        var rows = new List<(string, double, double)>();
        foreach (PlanStructure s in result.Case.Structures)
        {
            byte[] m = s.Mask.Voxels;
            double a = 0, b = 0;
            int n = 0;
            for (int v = 0; v < m.Length; v++)
            {
                if (m[v] != 0 && raw[v] > 0)
                {
                    a += raw[v];
                    b += exported[v];
                    n++;
                }
            }

            rows.Add((s.Name, n > 0 ? a / n : 0, n > 0 ? b / n : 0));
        }

        return rows;
    }

    /// <summary>The goals (structure and metric) that pass on one of the raw and the exported dose and fail on the other.</summary>
    public static IReadOnlyList<string> FlippedGoals(PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var flipped = new List<string>();
        for (int g = 0; g < result.Goals.Count && g < result.RawDoseGoals.Count; g++)
        {
            GoalResult exported = result.Goals[g], raw = result.RawDoseGoals[g];
            if (exported.Passed != raw.Passed)
            {
                flipped.Add($"{exported.Structure} {exported.Metric} ({(raw.Passed ? "pass" : "fail")} raw, {(exported.Passed ? "pass" : "fail")} exported)");
            }
        }

        return flipped;
    }
}
