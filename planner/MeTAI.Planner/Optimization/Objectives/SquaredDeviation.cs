namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>f = (1/N) Σ (dᵢ − d̂)²; ∂f/∂dᵢ = (2/N)(dᵢ − d̂). The usual target objective: homogeneous prescription dose.</summary>
public sealed class SquaredDeviation(string structure, int[] rows, double referenceDoseGy, double weight, int priority = 1)
    : DoseObjective(structure, rows, referenceDoseGy, weight, priority)
{
    /// <inheritdoc />
    public override string Type => "squaredDeviation";

    /// <inheritdoc />
    public override bool PenalizesHighDose => true;

    /// <inheritdoc />
    public override bool PenalizesLowDose => true;

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        double f = 0, r = ReferenceDoseGy, c = 2 * Weight * InverseCount;
        foreach (int i in Rows)
        {
            double dev = dose[i] - r;
            f += dev * dev;
            gradient[i] += (float)(c * dev);
        }

        return Weight * InverseCount * f;
    }
}
