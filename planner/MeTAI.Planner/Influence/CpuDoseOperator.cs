using MeTAI.Core.Compute;

namespace MeTAI.Planner.Influence;

/// <summary>
/// The influence matrix products on the CPU. The forward product splits the rows into chunks of about equal
/// non-zeros, each chunk writing its own rows. The transpose product needs no stored transpose: each chunk scatters
/// its rows into its own dense accumulator (one double per beamlet — beamlets are few), skipping rows whose gradient
/// is zero, and the accumulators are summed in chunk order, so the result does not depend on which thread ran what.
/// Nothing is allocated per call.
/// </summary>
public sealed class CpuDoseOperator : IDoseOperator
{
    private readonly CsrMatrix _a;
    private readonly WorkerPool _pool;
    private readonly int[] _chunks;
    private readonly double[][] _partials;
    private readonly ForwardJob _forward;
    private readonly AdjointJob _adjoint;

    /// <summary>An operator over <paramref name="matrix"/> on <paramref name="pool"/> (default: the shared pool).</summary>
    /// <param name="matrix">The influence matrix.</param>
    /// <param name="pool">Threads to use.</param>
    /// <param name="useSimd">Use the AVX2 forward kernel when the CPU has it.</param>
    /// <param name="chunks">
    /// Row chunks of about equal non-zeros (many small chunks balance a shared machine; a fixed number, not one per
    /// thread, keeps the transpose sums independent of the thread count).
    /// </param>
    public CpuDoseOperator(CsrMatrix matrix, WorkerPool? pool = null, bool useSimd = true, int chunks = 64)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        _a = matrix;
        _pool = pool ?? WorkerPool.Shared;
        _chunks = matrix.BalancedRowChunks(Math.Max(1, chunks));
        int n = _chunks.Length - 1;
        _partials = new double[n][];
        for (int c = 0; c < n; c++)
        {
            _partials[c] = new double[matrix.Columns];
        }

        UseSimd = useSimd && SparseKernels.SimdAvailable;
        _forward = new ForwardJob(this);
        _adjoint = new AdjointJob(this);
    }

    /// <inheritdoc />
    public string Name => $"CPU ({_pool.ThreadCount} threads, {(UseSimd ? "AVX2" : "scalar")})";

    /// <inheritdoc />
    public bool IsAvailable => true;

    /// <inheritdoc />
    public int Rows => _a.Rows;

    /// <inheritdoc />
    public int Columns => _a.Columns;

    /// <summary>True when the AVX2 kernel is used.</summary>
    public bool UseSimd { get; }

    /// <summary>The matrix.</summary>
    public CsrMatrix Matrix => _a;

    /// <inheritdoc />
    public void Forward(float[] weights, float[] dose)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(dose);
        if (weights.Length < _a.Columns || dose.Length < _a.Rows)
        {
            throw new ArgumentException("Vector lengths do not fit the matrix.");
        }

        _forward.X = weights;
        _forward.Y = dose;
        _pool.Run(_forward, _chunks.Length - 1);
        _forward.X = null;
        _forward.Y = null;
    }

    /// <inheritdoc />
    public void Adjoint(float[] doseGradient, double[] gradient)
    {
        ArgumentNullException.ThrowIfNull(doseGradient);
        ArgumentNullException.ThrowIfNull(gradient);
        if (doseGradient.Length < _a.Rows || gradient.Length < _a.Columns)
        {
            throw new ArgumentException("Vector lengths do not fit the matrix.");
        }

        _adjoint.G = doseGradient;
        _adjoint.Squares = false;
        _pool.Run(_adjoint, _chunks.Length - 1);
        _adjoint.G = null;
        Reduce(gradient);
    }

    /// <inheritdoc />
    public void AdjointSquares(float[] rowWeights, double[] result)
    {
        ArgumentNullException.ThrowIfNull(rowWeights);
        ArgumentNullException.ThrowIfNull(result);
        _adjoint.G = rowWeights;
        _adjoint.Squares = true;
        _pool.Run(_adjoint, _chunks.Length - 1);
        _adjoint.G = null;
        Reduce(result);
    }

    private void Reduce(double[] gradient)
    {
        Span<double> result = gradient.AsSpan(0, _a.Columns);
        _partials[0].AsSpan().CopyTo(result);
        for (int c = 1; c < _partials.Length; c++)
        {
            double[] p = _partials[c];
            for (int k = 0; k < result.Length; k++)
            {
                result[k] += p[k];
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class ForwardJob(CpuDoseOperator owner) : IParallelJob
    {
        public float[]? X;
        public float[]? Y;

        public void Execute(int chunk)
        {
            int[] b = owner._chunks;
            SparseKernels.Multiply(owner._a, X, Y, b[chunk], b[chunk + 1], owner.UseSimd);
        }
    }

    private sealed class AdjointJob(CpuDoseOperator owner) : IParallelJob
    {
        public float[]? G;
        public bool Squares;

        public void Execute(int chunk)
        {
            double[] acc = owner._partials[chunk];
            Array.Clear(acc);
            int[] b = owner._chunks;
            if (Squares)
            {
                SparseKernels.MultiplyTransposeSquaresAdd(owner._a, G, acc, b[chunk], b[chunk + 1]);
            }
            else
            {
                SparseKernels.MultiplyTransposeAdd(owner._a, G, acc, b[chunk], b[chunk + 1]);
            }
        }
    }
}
