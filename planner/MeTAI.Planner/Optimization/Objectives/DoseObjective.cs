namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>Shared state of the dose objectives: rows, weight, reference dose, priority, description.</summary>
public abstract class DoseObjective : IObjective
{
    /// <summary>An objective on <paramref name="rows"/> of structure <paramref name="structure"/>.</summary>
    protected DoseObjective(string structure, int[] rows, double referenceDoseGy, double weight, int priority)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(structure);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0)
        {
            throw new ArgumentException($"Structure '{structure}' has no voxels in the dose calculation.", nameof(rows));
        }

        if (!(weight >= 0) || !double.IsFinite(weight))
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "Objective weights must be non-negative.");
        }

        if (!(referenceDoseGy >= 0) || !double.IsFinite(referenceDoseGy))
        {
            throw new ArgumentOutOfRangeException(nameof(referenceDoseGy), referenceDoseGy, "Reference doses must be non-negative.");
        }

        Structure = structure;
        Rows = rows;
        ReferenceDoseGy = referenceDoseGy;
        Weight = weight;
        Priority = priority;
        InverseCount = 1.0 / rows.Length;
    }

    /// <inheritdoc />
    public abstract string Type { get; }

    /// <inheritdoc />
    public string Structure { get; }

    /// <inheritdoc />
    public int[] Rows { get; }

    /// <inheritdoc />
    public double Weight { get; set; }

    /// <inheritdoc />
    public int Priority { get; }

    /// <summary>The objective's reference dose d̂, Gy.</summary>
    public double ReferenceDoseGy { get; }

    /// <inheritdoc />
    public virtual bool PenalizesHighDose => false;

    /// <inheritdoc />
    public virtual bool PenalizesLowDose => false;

    /// <summary>1 / number of voxels.</summary>
    protected double InverseCount { get; }

    /// <inheritdoc />
    public abstract double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient);

    /// <inheritdoc />
    public virtual void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        // Squared penalties: 2w/N wherever the penalty is active; the default treats every voxel as active.
        float c = (float)(2 * Weight * InverseCount);
        foreach (int i in Rows)
        {
            curvature[i] += c;
        }
    }

    /// <summary>Adds 2w/N at the rows whose dose is above d̂ (where a one-sided over-dose penalty is active).</summary>
    protected void AddCurvatureWhereAbove(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        float c = (float)(2 * Weight * InverseCount);
        foreach (int i in Rows)
        {
            curvature[i] += dose[i] > ReferenceDoseGy ? c : 0;
        }
    }

    /// <summary>Adds 2w/N at the rows whose dose is below d̂ (where a one-sided under-dose penalty is active).</summary>
    protected void AddCurvatureWhereBelow(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        float c = (float)(2 * Weight * InverseCount);
        foreach (int i in Rows)
        {
            curvature[i] += dose[i] < ReferenceDoseGy ? c : 0;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}({Structure}, {ReferenceDoseGy:0.##} Gy, w {Weight:0.###})";
}
