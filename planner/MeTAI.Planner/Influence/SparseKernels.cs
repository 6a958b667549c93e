using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MeTAI.Planner.Influence;

/// <summary>
/// The optimiser's hot path on the CPU: y = A·x over a range of rows (dose from beamlet weights) and the transpose
/// accumulation acc += Aᵀ·g over a range of rows (objective gradient back to the beamlets). Allocation-free; an AVX2
/// gather kernel for the forward product with a scalar fallback that gives the same sums in another order.
/// </summary>
public static class SparseKernels
{
    /// <summary>True when the AVX2 + FMA forward kernel can run here.</summary>
    public static bool SimdAvailable => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>y[i] = Σ_k A[i,k]·x[k] for rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>).</summary>
    public static void Multiply(CsrMatrix a, ReadOnlySpan<float> x, Span<float> y, int rowStart, int rowEnd, bool simd = true)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (x.Length < a.Columns || y.Length < a.Rows || rowStart < 0 || rowEnd > a.Rows)
        {
            throw new ArgumentException("Vector lengths or row range do not fit the matrix.");
        }

        if (simd && SimdAvailable)
        {
            MultiplyAvx2(a, x, y, rowStart, rowEnd);
        }
        else
        {
            MultiplyScalar(a, x, y, rowStart, rowEnd);
        }
    }

    /// <summary>The scalar forward kernel (reference and fallback).</summary>
    public static void MultiplyScalar(CsrMatrix a, ReadOnlySpan<float> x, Span<float> y, int rowStart, int rowEnd)
    {
        ArgumentNullException.ThrowIfNull(a);
        int[] ptr = a.RowPointers;
        ushort[] cols = a.ColumnIndices;
        float[] vals = a.Values;
        for (int i = rowStart; i < rowEnd; i++)
        {
            int k = ptr[i], end = ptr[i + 1];
            // Four partial sums hide the add latency on long rows.
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (; k + 4 <= end; k += 4)
            {
                s0 += vals[k] * x[cols[k]];
                s1 += vals[k + 1] * x[cols[k + 1]];
                s2 += vals[k + 2] * x[cols[k + 2]];
                s3 += vals[k + 3] * x[cols[k + 3]];
            }

            for (; k < end; k++)
            {
                s0 += vals[k] * x[cols[k]];
            }

            y[i] = (s0 + s1) + (s2 + s3);
        }
    }

    /// <summary>The AVX2 forward kernel: 8 entries per step, x gathered by zero-extended 16-bit indices, FMA.</summary>
    public static unsafe void MultiplyAvx2(CsrMatrix a, ReadOnlySpan<float> x, Span<float> y, int rowStart, int rowEnd)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (!SimdAvailable)
        {
            throw new PlatformNotSupportedException("AVX2 and FMA are not available on this CPU.");
        }

        int[] ptr = a.RowPointers;
        fixed (ushort* cols = a.ColumnIndices)
        fixed (float* vals = a.Values)
        fixed (float* xp = x)
        {
            for (int i = rowStart; i < rowEnd; i++)
            {
                int k = ptr[i], end = ptr[i + 1];
                Vector256<float> acc = Vector256<float>.Zero;
                for (; k + 8 <= end; k += 8)
                {
                    Vector256<int> idx = Avx2.ConvertToVector256Int32(cols + k);
                    Vector256<float> xv = Avx2.GatherVector256(xp, idx, 4);
                    acc = Fma.MultiplyAdd(Avx.LoadVector256(vals + k), xv, acc);
                }

                float s = HorizontalSum(acc);
                for (; k < end; k++)
                {
                    s += vals[k] * xp[cols[k]];
                }

                y[i] = s;
            }
        }
    }

    /// <summary>
    /// acc[k] += Σ_i A[i,k]·g[i] over rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>), skipping rows
    /// whose g is zero (most voxels of a plan: under an OAR limit, or in no objective at all). Columns of one row are
    /// distinct, so the scatter into the dense accumulator has no conflicts.
    /// </summary>
    public static void MultiplyTransposeAdd(CsrMatrix a, ReadOnlySpan<float> g, Span<double> acc, int rowStart, int rowEnd)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (g.Length < a.Rows || acc.Length < a.Columns || rowStart < 0 || rowEnd > a.Rows)
        {
            throw new ArgumentException("Vector lengths or row range do not fit the matrix.");
        }

        int[] ptr = a.RowPointers;
        ushort[] cols = a.ColumnIndices;
        float[] vals = a.Values;
        for (int i = rowStart; i < rowEnd; i++)
        {
            float gi = g[i];
            if (gi == 0f)
            {
                continue;
            }

            int k = ptr[i], end = ptr[i + 1];
            for (; k + 2 <= end; k += 2)
            {
                acc[cols[k]] += vals[k] * gi;
                acc[cols[k + 1]] += vals[k + 1] * gi;
            }

            if (k < end)
            {
                acc[cols[k]] += vals[k] * gi;
            }
        }
    }

    /// <summary>acc[k] += Σ_i A[i,k]²·c[i] over rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) (rows with c = 0 skipped).</summary>
    public static void MultiplyTransposeSquaresAdd(CsrMatrix a, ReadOnlySpan<float> c, Span<double> acc, int rowStart, int rowEnd)
    {
        ArgumentNullException.ThrowIfNull(a);
        int[] ptr = a.RowPointers;
        ushort[] cols = a.ColumnIndices;
        float[] vals = a.Values;
        for (int i = rowStart; i < rowEnd; i++)
        {
            float ci = c[i];
            if (ci == 0f)
            {
                continue;
            }

            for (int k = ptr[i]; k < ptr[i + 1]; k++)
            {
                acc[cols[k]] += (double)vals[k] * vals[k] * ci;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalSum(Vector256<float> v)
    {
        Vector128<float> s = v.GetLower() + v.GetUpper();
        s += Sse.MoveHighToLow(s, s);
        s += Sse.Shuffle(s, s, 0x55);
        return s.ToScalar();
    }
}
