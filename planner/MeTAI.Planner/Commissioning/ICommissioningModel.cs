namespace MeTAI.Planner.Commissioning;

/// <summary>
/// A beam model family the commissioning can fit: its parameters, "given a parameter vector, compute these curves"
/// (one Monte Carlo run per field), and writing the fitted beam JSON from the base file.
/// </summary>
public interface ICommissioningModel : IDisposable
{
    /// <summary>The base beam file.</summary>
    string BasePath { get; }

    /// <summary>The parameters this model family can fit (stages without parameters are skipped and reported as such).</summary>
    IReadOnlyList<FitParameter> Parameters { get; }

    /// <summary>Runs <paramref name="field"/> with the parameter values <paramref name="values"/> (one per <see cref="Parameters"/>).</summary>
    FieldCurves Simulate(double[] values, FieldCondition field, long histories, ulong seed);

    /// <summary>Writes the base beam file with the fitted <paramref name="values"/> and the commissioning's provenance (atomically).</summary>
    void WriteBeamFile(double[] values, string outPath, CommissioningProvenance provenance);
}
