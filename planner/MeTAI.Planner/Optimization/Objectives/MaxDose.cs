namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// A soft maximum-dose limit: M = m + τ ln Σ exp((dᵢ − m)/τ) (m = max dᵢ; M lies between the maximum and the maximum
/// + τ ln N, so it errs on the safe side), f = max(0, M − d̂)², ∂f/∂dᵢ = 2 max(0, M − d̂)·softmaxᵢ with
/// softmaxᵢ = exp((dᵢ − M)/τ). The smoothing τ is <see cref="SmoothingFraction"/> × d̂. Only the hottest voxels get a
/// gradient, as for a hard maximum, but the value stays differentiable.
/// </summary>
public sealed class MaxDose : DoseObjective
{
    private readonly double _tau;

    /// <summary>A soft maximum of <paramref name="referenceDoseGy"/> on the structure.</summary>
    public MaxDose(string structure, int[] rows, double referenceDoseGy, double weight, int priority = 1)
        : base(structure, rows, referenceDoseGy, weight, priority)
    {
        _tau = Math.Max(1e-6, SmoothingFraction * referenceDoseGy);
    }

    /// <summary>τ as a fraction of the reference dose.</summary>
    public const double SmoothingFraction = 0.005;

    /// <inheritdoc />
    public override string Type => "maxDose";

    /// <inheritdoc />
    public override bool PenalizesHighDose => true;

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        double m = double.MinValue;
        foreach (int i in Rows)
        {
            m = Math.Max(m, dose[i]);
        }

        double inv = 1 / _tau, sum = 0;
        foreach (int i in Rows)
        {
            sum += Math.Exp((dose[i] - m) * inv);
        }

        double soft = m + _tau * Math.Log(sum);
        double dev = soft - ReferenceDoseGy;
        if (dev <= 0)
        {
            return 0;
        }

        double c = 2 * Weight * dev;
        foreach (int i in Rows)
        {
            double p = Math.Exp((dose[i] - soft) * inv);
            if (p > 1e-12)
            {
                gradient[i] += (float)(c * p);
            }
        }

        return Weight * dev * dev;
    }

    /// <inheritdoc />
    public override void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        // Gauss–Newton: 2w·softmaxᵢ² ≈ the weight concentrated on the hottest voxels.
        double m = double.MinValue;
        foreach (int i in Rows)
        {
            m = Math.Max(m, dose[i]);
        }

        double inv = 1 / _tau, sum = 0;
        foreach (int i in Rows)
        {
            sum += Math.Exp((dose[i] - m) * inv);
        }

        double soft = m + _tau * Math.Log(sum);
        foreach (int i in Rows)
        {
            double p = Math.Exp((dose[i] - soft) * inv);
            curvature[i] += (float)(2 * Weight * p * p);
        }
    }
}
