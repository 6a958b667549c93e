namespace MeTAI.Planner.Influence;

/// <summary>
/// The influence matrix as the optimiser sees it: dose = A·w and gradient = Aᵀ·g. Implementations run on the CPU
/// (<see cref="CpuDoseOperator"/>) or through ILGPU (<see cref="IlgpuDoseOperator"/>) on the same CSR arrays; a caller
/// first asks <see cref="IsAvailable"/> (matRad-style engine choice).
/// </summary>
public interface IDoseOperator : IDisposable
{
    /// <summary>Short name for logs and reports.</summary>
    string Name { get; }

    /// <summary>True when the operator can run here.</summary>
    bool IsAvailable { get; }

    /// <summary>Number of rows (voxels).</summary>
    int Rows { get; }

    /// <summary>Number of columns (beamlets).</summary>
    int Columns { get; }

    /// <summary>dose[i] = Σ_j A[i,j]·weights[j] (Gy for weights in MU).</summary>
    void Forward(float[] weights, float[] dose);

    /// <summary>gradient[j] = Σ_i A[i,j]·doseGradient[i] (overwrites <paramref name="gradient"/>).</summary>
    void Adjoint(float[] doseGradient, double[] gradient);

    /// <summary>result[j] = Σ_i A[i,j]²·rowWeights[i] (the diagonal of AᵀCA, for preconditioning; overwrites).</summary>
    void AdjointSquares(float[] rowWeights, double[] result);
}
