namespace MeTAI.Planner.Optimization.Objectives;

/// <summary>
/// One dose objective on one structure (matRad's <c>DoseObjectives</c>): a value f(d) of the dose in the structure's
/// voxels and its gradient ∂f/∂d. Implementations normalise by the structure's voxel count (so weights do not scale
/// with volume), read only their own rows, and allocate nothing per evaluation.
/// </summary>
public interface IObjective
{
    /// <summary>Protocol name of the objective type, e.g. <c>squaredOverdose</c>.</summary>
    string Type { get; }

    /// <summary>Name of the structure it applies to.</summary>
    string Structure { get; }

    /// <summary>Rows of the dose vector (influence-matrix rows) inside the structure.</summary>
    int[] Rows { get; }

    /// <summary>Weight w; the objective contributes w·f.</summary>
    double Weight { get; set; }

    /// <summary>Priority from the protocol (1 = most important); drives goal-based re-weighting.</summary>
    int Priority { get; }

    /// <summary>True when the objective pushes dose down (over-dose, maximum, mean, maximum DVH, maximum EUD).</summary>
    bool PenalizesHighDose { get; }

    /// <summary>True when the objective pushes dose up (under-dose, minimum DVH, minimum EUD).</summary>
    bool PenalizesLowDose { get; }

    /// <summary>
    /// Returns w·f(<paramref name="dose"/>) and adds w·∂f/∂d into <paramref name="gradient"/> at this objective's rows.
    /// </summary>
    double Evaluate(ReadOnlySpan<float> dose, Span<float> gradient);

    /// <summary>
    /// Adds w·∂²f/∂dᵢ² (the Gauss–Newton diagonal where f is not quadratic) into <paramref name="curvature"/> at this
    /// objective's rows; the optimiser turns it into a diagonal preconditioner Σᵢ cᵢ·A[i,j]².
    /// </summary>
    void AddCurvature(ReadOnlySpan<float> dose, Span<float> curvature);
}
