namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// Maximum DVH point "V(d̂) ≤ v %" (Wu &amp; Mohan 2000, as in matRad): with D_v the dose that the hottest v % of the
/// voxels reach, the voxels with d̂ &lt; dᵢ ≤ D_v — the cheapest ones to bring under d̂ — are penalised,
/// f = (1/N) Σ (dᵢ − d̂)² over them; zero when D_v ≤ d̂.
/// </summary>
public sealed class MaxDvh : DvhObjective
{
    /// <summary>At most <paramref name="volumePercent"/> % of the structure above <paramref name="referenceDoseGy"/>.</summary>
    public MaxDvh(string structure, int[] rows, double referenceDoseGy, double volumePercent, double weight, int priority = 1)
        : base(structure, rows, referenceDoseGy, volumePercent, weight, priority)
    {
        if (!(volumePercent >= 0 && volumePercent < 100))
        {
            throw new ArgumentOutOfRangeException(nameof(volumePercent), volumePercent, "Maximum-DVH volumes are in [0, 100) %.");
        }
    }

    /// <inheritdoc />
    public override string Type => "maxDvh";

    /// <inheritdoc />
    public override bool PenalizesHighDose => true;

    /// <inheritdoc />
    public override double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        // V = 0 % has no voxel to spare: D_0 is the maximum.
        float dv = VolumePercent > 0 ? DoseAtVolume(dose) : float.MaxValue;
        double r = ReferenceDoseGy;
        if (dv <= r)
        {
            return 0;
        }

        double f = 0, c = 2 * Weight * InverseCount;
        foreach (int i in Rows)
        {
            double d = dose[i];
            if (d > r && d <= dv)
            {
                double dev = d - r;
                f += dev * dev;
                gradient[i] += (float)(c * dev);
            }
        }

        return Weight * InverseCount * f;
    }

    /// <inheritdoc />
    public override void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature) => AddCurvatureWhereAbove(dose, curvature);
}
