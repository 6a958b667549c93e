using MeTAI.Core.Voxels;
using MeTAI.Planner.Evaluation;

namespace MeTAI.Planner.Plans.Stages;

/// <summary>
/// Plan analysis (matRad's <c>planAnalysis</c>): metrics and DVHs of every structure and the protocol's goals on the
/// final dose, and the goals on the raw Monte Carlo dose when it was denoised.
/// </summary>
internal sealed class EvaluationStage : IPlanStage
{
    /// <inheritdoc />
    public PlanStage Stage => PlanStage.Evaluation;

    /// <inheritdoc />
    public string Starting(PlanContext context) => "metrics, DVHs and goals";

    /// <inheritdoc />
    public void Run(PlanContext context)
    {
        (context.Metrics, context.Dvhs, context.Goals) = Evaluate(context.Case, context.Protocol, context.FinalDose.DoseGy.Data, context.Body);
        context.RawDoseGoals = context.FinalDose.Denoised
            ? Evaluate(context.Case, context.Protocol, context.FinalDose.RawDoseGy.Data, context.Body).Goals
            : context.Goals;
    }

    /// <inheritdoc />
    public string? Finished(PlanContext context) => "done";

    /// <summary>Metrics of every structure, DVHs, and the protocol's goals on <paramref name="doseGy"/>.</summary>
    public static (Dictionary<string, StructureMetrics> Metrics, List<Dvh> Dvhs, IReadOnlyList<GoalResult> Goals) Evaluate(PlanCase plan, Protocol protocol, float[] doseGy, VoxelMask body)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(body);
        double rxGy = protocol.Prescription.DoseGy;
        var doses = new Dictionary<string, StructureDose>(StringComparer.OrdinalIgnoreCase);
        var metrics = new Dictionary<string, StructureMetrics>(StringComparer.Ordinal);
        var dvhs = new List<Dvh>();
        foreach (PlanStructure s in plan.Structures)
        {
            var sd = new StructureDose(s.Name, doseGy, s.Mask);
            doses[s.Name] = sd;
            StructureMetrics m = sd.Metrics();
            if (s.IsTarget)
            {
                m = m with
                {
                    PaddickConformityIndex = PlanQuality.PaddickConformityIndex(doseGy, s.Mask, body, rxGy),
                    HomogeneityIndex = PlanQuality.HomogeneityIndex(sd),
                };
            }

            metrics[s.Name] = m;
            dvhs.Add(Dvh.From(sd, Math.Max(0.01, rxGy / 500)));
        }

        IReadOnlyList<GoalResult> goals = GoalEvaluator.Evaluate(protocol.Goals, name => doses.TryGetValue(name, out StructureDose? d) ? d : throw new KeyNotFoundException($"No structure '{name}'. Structures: {plan.StructureNames()}."), rxGy);
        return (metrics, dvhs, goals);
    }
}
