namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// f = max(0, d̄ − d̂)² with d̄ = (1/N) Σ dᵢ; ∂f/∂dᵢ = (2/N) max(0, d̄ − d̂). With d̂ = 0 it is the squared mean dose,
/// the usual parallel-organ objective.
/// </summary>
public sealed class MeanDose(string structure, int[] rows, double referenceDoseGy, double weight, int priority = 1)
    : DoseObjective(structure, rows, referenceDoseGy, weight, priority)
{
    /// <inheritdoc />
    public override string Type => "meanDose";

    /// <inheritdoc />
    public override bool PenalizesHighDose => true;

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        double sum = 0;
        foreach (int i in Rows)
        {
            sum += dose[i];
        }

        double dev = sum * InverseCount - ReferenceDoseGy;
        if (dev <= 0)
        {
            return 0;
        }

        float gi = (float)(2 * Weight * InverseCount * dev);
        foreach (int i in Rows)
        {
            gradient[i] += gi;
        }

        return Weight * dev * dev;
    }

    /// <inheritdoc />
    public override void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        // The Hessian is 2w/N²·11ᵀ; its diagonal is tiny.
        float c = (float)(2 * Weight * InverseCount * InverseCount);
        foreach (int i in Rows)
        {
            curvature[i] += c;
        }
    }
}
