using ILGPU;
using ILGPU.Runtime;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Planner.Influence;

/// <summary>
/// The influence matrix products as ILGPU kernels over the same CSR arrays (row pointers, 16-bit column indices,
/// float32 values), uploaded once: one thread per row for A·w, and one thread per row scattering into the beamlet
/// gradient with atomic adds for Aᵀ·g (rows with zero gradient return at once). Runs on CUDA when present, else on
/// ILGPU's CPU accelerator (slow; used to test the kernels against <see cref="CpuDoseOperator"/>).
/// </summary>
public sealed class IlgpuDoseOperator : IDoseOperator
{
    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _ptr;
    private readonly MemoryBuffer1D<ushort, Stride1D.Dense> _cols;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _vals;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _x;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _y;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _g;
    private readonly MemoryBuffer1D<double, Stride1D.Dense> _acc;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<float>> _forward;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<double>> _adjoint;
    private readonly Action<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<double>> _squares;
    private bool _disposed;

    /// <summary>Uploads <paramref name="matrix"/> to the accelerator for <paramref name="device"/>.</summary>
    public IlgpuDoseOperator(CsrMatrix matrix, DeviceKind device = DeviceKind.Auto)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Rows = matrix.Rows;
        Columns = matrix.Columns;
        _context = Context.Create(b => b.Default());
        try
        {
            _accelerator = IlgpuAccelerators.Open(_context, device, "the influence-matrix kernels");
        }
        catch
        {
            _context.Dispose();
            throw;
        }

        _ptr = _accelerator.Allocate1D(matrix.RowPointers);
        _cols = _accelerator.Allocate1D(matrix.ColumnIndices.Length == 0 ? new ushort[1] : matrix.ColumnIndices);
        _vals = _accelerator.Allocate1D(matrix.Values.Length == 0 ? new float[1] : matrix.Values);
        _x = _accelerator.Allocate1D<float>(Math.Max(1, Columns));
        _y = _accelerator.Allocate1D<float>(Math.Max(1, Rows));
        _g = _accelerator.Allocate1D<float>(Math.Max(1, Rows));
        _acc = _accelerator.Allocate1D<double>(Math.Max(1, Columns));
        _forward = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ForwardKernel);
        _adjoint = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<double>>(AdjointKernel);
        _squares = _accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<double>>(SquaresKernel);
    }

    /// <inheritdoc />
    public string Name => "ILGPU (" + _accelerator.AcceleratorType + ": " + _accelerator.Name + ")";

    /// <inheritdoc />
    public bool IsAvailable => !_disposed;

    /// <inheritdoc />
    public int Rows { get; }

    /// <inheritdoc />
    public int Columns { get; }

    /// <summary>True when the kernels run on a CUDA device.</summary>
    public bool IsCuda => _accelerator.AcceleratorType == AcceleratorType.Cuda;

    /// <inheritdoc />
    public void Forward(float[] weights, float[] dose)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(dose);
        if (Rows == 0)
        {
            return;
        }

        ArrayView<float> x = _x.View;
        x.SubView(0, Columns).CopyFromCPU(weights.AsSpan(0, Columns));
        _forward(Rows, _ptr.View, _cols.View, _vals.View, _x.View, _y.View);
        _accelerator.Synchronize();
        ArrayView<float> y = _y.View;
        y.SubView(0, Rows).CopyToCPU(dose.AsSpan(0, Rows));
    }

    /// <inheritdoc />
    public void Adjoint(float[] doseGradient, double[] gradient) => Accumulate(_adjoint, doseGradient, gradient);

    /// <inheritdoc />
    public void AdjointSquares(float[] rowWeights, double[] result) => Accumulate(_squares, rowWeights, result);

    /// <summary>Runs a per-row kernel that accumulates into one double per column: uploads the row values, zeroes, copies back.</summary>
    private void Accumulate(Action<Index1D, ArrayView<int>, ArrayView<ushort>, ArrayView<float>, ArrayView<float>, ArrayView<double>> kernel,
        float[] rowValues, double[] result)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(rowValues);
        ArgumentNullException.ThrowIfNull(result);
        _acc.MemSetToZero();
        if (Rows > 0)
        {
            ArrayView<float> g = _g.View;
            g.SubView(0, Rows).CopyFromCPU(rowValues.AsSpan(0, Rows));
            kernel(Rows, _ptr.View, _cols.View, _vals.View, _g.View, _acc.View);
        }

        _accelerator.Synchronize();
        ArrayView<double> acc = _acc.View;
        acc.SubView(0, Columns).CopyToCPU(result.AsSpan(0, Columns));
    }

    private static void SquaresKernel(Index1D row, ArrayView<int> ptr, ArrayView<ushort> cols, ArrayView<float> vals, ArrayView<float> c, ArrayView<double> acc)
    {
        float ci = c[row];
        if (ci == 0f)
        {
            return;
        }

        int end = ptr[row + 1];
        for (int k = ptr[row]; k < end; k++)
        {
            float v = vals[k];
            Atomic.Add(ref acc[(int)cols[k]], (double)(v * v * ci));
        }
    }

    private static void ForwardKernel(Index1D row, ArrayView<int> ptr, ArrayView<ushort> cols, ArrayView<float> vals, ArrayView<float> x, ArrayView<float> y)
    {
        int end = ptr[row + 1];
        float s = 0;
        for (int k = ptr[row]; k < end; k++)
        {
            s += vals[k] * x[(int)cols[k]];
        }

        y[row] = s;
    }

    private static void AdjointKernel(Index1D row, ArrayView<int> ptr, ArrayView<ushort> cols, ArrayView<float> vals, ArrayView<float> g, ArrayView<double> acc)
    {
        float gi = g[row];
        if (gi == 0f)
        {
            return;
        }

        int end = ptr[row + 1];
        for (int k = ptr[row]; k < end; k++)
        {
            Atomic.Add(ref acc[(int)cols[k]], (double)(vals[k] * gi));
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ptr.Dispose();
        _cols.Dispose();
        _vals.Dispose();
        _x.Dispose();
        _y.Dispose();
        _g.Dispose();
        _acc.Dispose();
        _accelerator.Dispose();
        _context.Dispose();
    }
}
