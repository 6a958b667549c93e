namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// Generalised equivalent uniform dose (Niemierko 1999): EUD = ((1/N) Σ dᵢᵃ)^(1/a), with
/// ∂EUD/∂dᵢ = (1/N) dᵢ^(a−1) EUD^(1−a). As a maximum (organs at risk, a ≥ 1: a = 1 is the mean, large a the maximum):
/// f = max(0, EUD − d̂)²; as a minimum (targets, a &lt; 0 stresses cold spots): f = max(0, d̂ − EUD)². Doses are
/// floored at 1 mGy so that negative exponents stay finite.
/// </summary>
public sealed class Eud : DoseObjective
{
    private const double FloorGy = 1e-3;

    /// <summary>An EUD objective with exponent <paramref name="exponent"/>; <paramref name="maximum"/> picks the side.</summary>
    public Eud(string structure, int[] rows, double referenceDoseGy, double exponent, bool maximum, double weight, int priority = 1)
        : base(structure, rows, referenceDoseGy, weight, priority)
    {
        if (exponent == 0 || !double.IsFinite(exponent) || (maximum && exponent < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "EUD exponent must be non-zero and finite (≥ 1 for a maximum EUD).");
        }

        Exponent = exponent;
        IsMaximum = maximum;
    }

    /// <summary>The exponent a.</summary>
    public double Exponent { get; }

    /// <summary>True for a maximum EUD, false for a minimum.</summary>
    public bool IsMaximum { get; }

    /// <inheritdoc />
    public override string Type => IsMaximum ? "maxEud" : "minEud";

    /// <inheritdoc />
    public override bool PenalizesHighDose => IsMaximum;

    /// <inheritdoc />
    public override bool PenalizesLowDose => !IsMaximum;

    /// <summary>The EUD of <paramref name="dose"/> over the rows, Gy.</summary>
    public double Value(ReadOnlySpan<float> dose)
    {
        double a = Exponent, sum = 0;
        foreach (int i in Rows)
        {
            sum += Math.Pow(Math.Max(FloorGy, dose[i]), a);
        }

        return Math.Pow(sum * InverseCount, 1 / a);
    }

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        double eud = Value(dose);
        double dev = IsMaximum ? eud - ReferenceDoseGy : ReferenceDoseGy - eud;
        if (dev <= 0)
        {
            return 0;
        }

        double a = Exponent;
        // ∂f/∂dᵢ = ±2·dev·(1/N)·dᵢ^(a−1)·EUD^(1−a)
        double c = (IsMaximum ? 2 : -2) * Weight * dev * InverseCount * Math.Pow(eud, 1 - a);
        foreach (int i in Rows)
        {
            double d = dose[i];
            // Below the floor the value does not change with d, so the gradient there is 0.
            if (d > FloorGy)
            {
                gradient[i] += (float)(c * Math.Pow(d, a - 1));
            }
        }

        return Weight * dev * dev;
    }

    /// <inheritdoc />
    public override void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        // Gauss–Newton: 2w·(∂EUD/∂dᵢ)².
        double eud = Value(dose), a = Exponent, k = InverseCount * Math.Pow(eud, 1 - a);
        foreach (int i in Rows)
        {
            double gi = k * Math.Pow(Math.Max(FloorGy, dose[i]), a - 1);
            curvature[i] += (float)(2 * Weight * gi * gi);
        }
    }
}
