using MeTAI.Core.Compute;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Influence;

namespace MeTAI.Planner.Tests.Influence;

public class SparseKernelsTests
{
    [Fact]
    public void Multiply_SimdAndScalar_AgreeWithDenseProduct()
    {
        CsrMatrix a = TestData.RandomMatrix(500, 300, 0.08, 2);
        float[] x = TestData.RandomVector(300, 3);
        double[,] dense = TestData.Dense(a);
        var ys = new float[500];
        var yv = new float[500];
        SparseKernels.MultiplyScalar(a, x, ys, 0, 500);
        SparseKernels.Multiply(a, x, yv, 0, 500, simd: true);
        for (int i = 0; i < 500; i++)
        {
            double exact = 0;
            for (int j = 0; j < 300; j++)
            {
                exact += dense[i, j] * x[j];
            }

            Assert.Equal(exact, ys[i], 1e-4 * Math.Max(1, exact));
            Assert.Equal(ys[i], yv[i], 1e-5f * Math.Max(1, ys[i]));
        }

        Assert.True(SparseKernels.SimdAvailable || yv.SequenceEqual(ys), "without AVX2 the fallback must be the scalar kernel");
    }

    [Fact]
    public void Avx2Kernel_WhenAvailable_MatchesScalar()
    {
        if (!SparseKernels.SimdAvailable)
        {
            return;
        }

        CsrMatrix a = TestData.RandomMatrix(300, 2000, 0.05, 4);
        float[] x = TestData.RandomVector(2000, 5);
        var ys = new float[300];
        var yv = new float[300];
        SparseKernels.MultiplyScalar(a, x, ys, 0, 300);
        SparseKernels.MultiplyAvx2(a, x, yv, 0, 300);
        for (int i = 0; i < 300; i++)
        {
            Assert.Equal(ys[i], yv[i], 1e-5f * Math.Max(1, ys[i]));
        }
    }

    [Fact]
    public void CpuOperator_Adjoint_MatchesDenseTransposeAndSkipsZeroRows()
    {
        CsrMatrix a = TestData.RandomMatrix(400, 120, 0.1, 6);
        float[] g = TestData.RandomVector(400, 7, 2);
        for (int i = 0; i < g.Length; i += 3)
        {
            g[i] = 0;
        }

        double[,] dense = TestData.Dense(a);
        using var op = new CpuDoseOperator(a);
        var result = new double[120];
        op.Adjoint(g, result);
        for (int j = 0; j < 120; j++)
        {
            double exact = 0;
            for (int i = 0; i < 400; i++)
            {
                exact += dense[i, j] * g[i];
            }

            Assert.Equal(exact, result[j], 1e-6 * Math.Max(1, Math.Abs(exact)));
        }
    }

    [Fact]
    public void CpuOperator_OneAndTwoThreads_GiveIdenticalResults()
    {
        CsrMatrix a = TestData.RandomMatrix(3000, 200, 0.05, 8);
        float[] x = TestData.RandomVector(200, 9);
        float[] g = TestData.RandomVector(3000, 10);
        using var one = new WorkerPool(1);
        using var two = new WorkerPool(2);
        using var op1 = new CpuDoseOperator(a, one);
        using var op2 = new CpuDoseOperator(a, two);
        var y1 = new float[3000];
        var y2 = new float[3000];
        var g1 = new double[200];
        var g2 = new double[200];
        op1.Forward(x, y1);
        op2.Forward(x, y2);
        op1.Adjoint(g, g1);
        op2.Adjoint(g, g2);
        Assert.Equal(y1, y2);
        Assert.Equal(g1, g2);
    }

    [Fact]
    public void CpuOperator_ForwardAndAdjoint_AllocateNothing()
    {
        CsrMatrix a = TestData.RandomMatrix(5000, 300, 0.05, 11);
        float[] x = TestData.RandomVector(300, 12);
        var y = new float[5000];
        var grad = new double[300];
        using var pool = new WorkerPool(2);
        using var op = new CpuDoseOperator(a, pool);

        // Warm up past tiered compilation's thresholds (the pool's dispatch and the kernels), then measure.
        for (int r = 0; r < 200; r++)
        {
            op.Forward(x, y);
            op.Adjoint(y, grad);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < 20; r++)
        {
            op.Forward(x, y);
            op.Adjoint(y, grad);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void IlgpuOperator_CpuAccelerator_MatchesCpuOperator()
    {
        CsrMatrix a = TestData.RandomMatrix(600, 150, 0.08, 13);
        float[] x = TestData.RandomVector(150, 14);
        float[] g = TestData.RandomVector(600, 15);
        using var cpu = new CpuDoseOperator(a);
        using var gpu = new IlgpuDoseOperator(a, DeviceKind.Cpu);
        Assert.True(gpu.IsAvailable);
        var y1 = new float[600];
        var y2 = new float[600];
        cpu.Forward(x, y1);
        gpu.Forward(x, y2);
        for (int i = 0; i < 600; i++)
        {
            Assert.Equal(y1[i], y2[i], 1e-4f * Math.Max(1, y1[i]));
        }

        var a1 = new double[150];
        var a2 = new double[150];
        cpu.Adjoint(g, a1);
        gpu.Adjoint(g, a2);
        var s1 = new double[150];
        var s2 = new double[150];
        cpu.AdjointSquares(g, s1);
        gpu.AdjointSquares(g, s2);
        for (int j = 0; j < 150; j++)
        {
            Assert.Equal(a1[j], a2[j], 1e-4 * Math.Max(1, Math.Abs(a1[j])));
            Assert.Equal(s1[j], s2[j], 1e-4 * Math.Max(1, Math.Abs(s1[j])));
        }
    }
}
