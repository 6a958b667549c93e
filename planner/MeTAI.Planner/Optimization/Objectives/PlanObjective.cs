namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>The weighted sum of a plan's objectives: F(d) = Σₖ wₖ fₖ(d) and ∂F/∂d.</summary>
public sealed class PlanObjective
{
    /// <summary>The sum of <paramref name="objectives"/> over a dose vector of <paramref name="rows"/> rows.</summary>
    public PlanObjective(IReadOnlyList<IObjective> objectives, int rows)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
        {
            throw new ArgumentException("A plan needs at least one objective.", nameof(objectives));
        }

        foreach (IObjective o in objectives)
        {
            foreach (int r in o.Rows)
            {
                if ((uint)r >= (uint)rows)
                {
                    throw new ArgumentException($"Objective {o.Type} on {o.Structure} has a row outside the dose vector.", nameof(objectives));
                }
            }
        }

        Objectives = objectives;
        Rows = rows;
        Values = new double[objectives.Count];
    }

    /// <summary>The objectives.</summary>
    public IReadOnlyList<IObjective> Objectives { get; }

    /// <summary>Length of the dose vector.</summary>
    public int Rows { get; }

    /// <summary>Each objective's weighted value at the last evaluation.</summary>
    public double[] Values { get; }

    /// <summary>F(dose); overwrites <paramref name="gradient"/> with ∂F/∂d.</summary>
    public double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient)
    {
        gradient[..Rows].Clear();
        double sum = 0;
        for (int k = 0; k < Objectives.Count; k++)
        {
            double v = Objectives[k].Evaluate(dose, gradient);
            Values[k] = v;
            sum += v;
        }

        return sum;
    }

    /// <summary>Overwrites <paramref name="curvature"/> with Σₖ wₖ ∂²fₖ/∂dᵢ² (Gauss–Newton diagonal) at <paramref name="dose"/>.</summary>
    public void Curvature(ReadOnlySpan<float> dose, Span<float> curvature)
    {
        curvature[..Rows].Clear();
        foreach (IObjective o in Objectives)
        {
            o.AddCurvature(dose, curvature);
        }
    }
}
