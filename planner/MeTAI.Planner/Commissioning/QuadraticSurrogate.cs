using MathNet.Numerics.LinearAlgebra;

namespace MeTAI.Planner.Commissioning;

/// <summary>
/// A smooth surrogate of Monte Carlo results between runs: each response (a residual of the fit) is a full quadratic
/// in the parameters (1, uᵢ, uᵢuⱼ on parameters scaled to [0, 1]), fitted by least squares (QR) over the runs. With
/// more runs than coefficients (5 runs for 1 parameter, 9 for 2) the regression also averages out the runs' noise.
/// </summary>
public sealed class QuadraticSurrogate
{
    private readonly Matrix<double> _coefficients; // basis × responses
    private readonly int _dims;

    /// <summary>Fits <paramref name="responses"/>[run][response] observed at <paramref name="unitNodes"/>[run][parameter] (in [0, 1]).</summary>
    public QuadraticSurrogate(IReadOnlyList<double[]> unitNodes, IReadOnlyList<double[]> responses)
    {
        ArgumentNullException.ThrowIfNull(unitNodes);
        ArgumentNullException.ThrowIfNull(responses);
        _dims = unitNodes[0].Length;
        Matrix<double> x = Matrix<double>.Build.DenseOfRows(unitNodes.Select(Basis));
        if (x.RowCount < x.ColumnCount)
        {
            throw new ArgumentException($"A quadratic in {_dims} parameters needs at least {x.ColumnCount} runs; got {x.RowCount}.");
        }

        Matrix<double> y = Matrix<double>.Build.DenseOfRows(responses);
        _coefficients = x.QR().Solve(y);
    }

    /// <summary>The responses predicted at <paramref name="unit"/> (parameters in [0, 1]).</summary>
    public double[] Predict(double[] unit) => [.. _coefficients.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(Basis(unit)))];

    private double[] Basis(double[] u)
    {
        var b = new List<double> { 1 };
        b.AddRange(u);
        for (int i = 0; i < _dims; i++)
        {
            for (int j = i; j < _dims; j++)
            {
                b.Add(u[i] * u[j]);
            }
        }

        return [.. b];
    }
}
