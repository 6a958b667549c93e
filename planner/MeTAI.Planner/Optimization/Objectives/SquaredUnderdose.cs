namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>f = (1/N) Σ max(0, d̂ − dᵢ)²; ∂f/∂dᵢ = −(2/N) max(0, d̂ − dᵢ). Targets: no voxel below d̂.</summary>
public sealed class SquaredUnderdose(string structure, int[] rows, double referenceDoseGy, double weight, int priority = 1)
    : DoseObjective(structure, rows, referenceDoseGy, weight, priority)
{
    /// <inheritdoc />
    public override string Type => "squaredUnderdose";

    /// <inheritdoc />
    public override bool PenalizesLowDose => true;

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        double f = 0, r = ReferenceDoseGy, c = 2 * Weight * InverseCount;
        foreach (int i in Rows)
        {
            double dev = r - dose[i];
            if (dev > 0)
            {
                f += dev * dev;
                gradient[i] -= (float)(c * dev);
            }
        }

        return Weight * InverseCount * f;
    }

    /// <inheritdoc />
    public override void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature) => AddCurvatureWhereBelow(dose, curvature);
}
