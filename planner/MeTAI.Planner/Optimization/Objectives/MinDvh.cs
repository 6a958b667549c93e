namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// Minimum DVH point "V(d̂) ≥ v %" (Wu &amp; Mohan 2000, as in matRad): with D_v the dose that the hottest v % of the
/// voxels reach, the voxels with D_v ≤ dᵢ &lt; d̂ — the cheapest ones to lift over d̂ — are penalised,
/// f = (1/N) Σ (dᵢ − d̂)² over them; zero when D_v ≥ d̂.
/// </summary>
public sealed class MinDvh : DvhObjective
{
    /// <summary>At least <paramref name="volumePercent"/> % of the structure at <paramref name="referenceDoseGy"/> or more.</summary>
    public MinDvh(string structure, int[] rows, double referenceDoseGy, double volumePercent, double weight, int priority = 1)
        : base(structure, rows, referenceDoseGy, volumePercent, weight, priority)
    {
        if (!(volumePercent > 0 && volumePercent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(volumePercent), volumePercent, "DVH volumes are in (0, 100] %.");
        }
    }

    /// <inheritdoc />
    public override string Type => "minDvh";

    /// <inheritdoc />
    public override bool PenalizesLowDose => true;

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        float dv = DoseAtVolume(dose);
        double r = ReferenceDoseGy;
        if (dv >= r)
        {
            return 0;
        }

        double f = 0, c = 2 * Weight * InverseCount;
        foreach (int i in Rows)
        {
            double d = dose[i];
            if (d < r && d >= dv)
            {
                double dev = d - r;
                f += dev * dev;
                gradient[i] += (float)(c * dev);
            }
        }

        return Weight * InverseCount * f;
    }

    /// <inheritdoc />
    public override void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature) => AddCurvatureWhereBelow(dose, curvature);
}
