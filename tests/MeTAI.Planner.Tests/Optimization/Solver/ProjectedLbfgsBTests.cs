using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Objectives;
using MeTAI.Planner.Optimization.Solver;

namespace MeTAI.Planner.Tests.Optimization.Solver;

public class ProjectedLbfgsBTests
{
    /// <summary>f(x) = ½‖Mx − b‖² with a known non-negative solution that has zeros.</summary>
    private sealed class LeastSquares(double[,] m, double[] b) : IDifferentiableFunction
    {
        public int Dimension => m.GetLength(1);

        public double Evaluate(ReadOnlySpan<double> x, Span<double> gradient)
        {
            int rows = m.GetLength(0), n = m.GetLength(1);
            gradient.Clear();
            double f = 0;
            for (int i = 0; i < rows; i++)
            {
                double r = -b[i];
                for (int j = 0; j < n; j++)
                {
                    r += m[i, j] * x[j];
                }

                f += 0.5 * r * r;
                for (int j = 0; j < n; j++)
                {
                    gradient[j] += r * m[i, j];
                }
            }

            return f;
        }
    }

    [Fact]
    public void Minimize_NonNegativeLeastSquares_FindsTheConstrainedSolution()
    {
        var rng = new Random(3);
        int rows = 40, n = 12;
        var m = new double[rows, n];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = rng.NextDouble();
            }
        }

        // b from a solution with negative parts: the NNLS solution sits on the bound for some variables.
        var truth = new double[n];
        for (int j = 0; j < n; j++)
        {
            truth[j] = j % 3 == 0 ? -1 : 1 + j;
        }

        var b = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++)
            {
                b[i] += m[i, j] * truth[j];
            }
        }

        var f = new LeastSquares(m, b);
        var x = new double[n];
        Array.Fill(x, 1.0);
        var options = new OptimizerOptions { RelativeFunctionTolerance = 1e-14, ProjectedGradientTolerance = 1e-10, MaxIterations = 2000 };
        OptimizationResult r = new ProjectedLbfgsB(options).Minimize(f, x, new double[n]);
        Assert.All(x, v => Assert.True(v >= 0));
        // KKT: ∂f/∂x ≥ 0 where x = 0, ≈ 0 where x > 0.
        var g = new double[n];
        f.Evaluate(x, g);
        double scale = g.Max(Math.Abs) + 1;
        for (int j = 0; j < n; j++)
        {
            if (x[j] > 1e-8)
            {
                Assert.True(Math.Abs(g[j]) < 1e-5 * scale * 100, $"free variable {j} has gradient {g[j]}");
            }
            else
            {
                Assert.True(g[j] > -1e-6 * scale, $"bound variable {j} has gradient {g[j]} < 0");
            }
        }

        Assert.Contains(x, v => v == 0);
        Assert.True(r.History.Count == r.Iterations + 1);
        for (int k = 1; k < r.History.Count; k++)
        {
            Assert.True(r.History[k].Objective <= r.History[k - 1].Objective + 1e-12, "objective must not increase");
        }
    }

    [Fact]
    public void Minimize_LowerBoundsAboveZero_AreRespected()
    {
        var m = new double[,] { { 1, 0 }, { 0, 1 } };
        var f = new LeastSquares(m, [0.5, 3]);
        var x = new double[] { 5, 5 };
        new ProjectedLbfgsB().Minimize(f, x, [2, 0]);
        Assert.Equal(2, x[0], 6);
        Assert.Equal(3, x[1], 4);
    }

    [Fact]
    public void FluenceProblem_SmallPlan_ConvergesAndMeetsTheTarget()
    {
        CsrMatrix a = TestData.RandomMatrix(300, 40, 0.3, 9);
        int[] target = [.. Enumerable.Range(0, 100)];
        int[] organ = [.. Enumerable.Range(100, 100)];
        var objective = new PlanObjective([new SquaredDeviation("T", target, 10, 100), new SquaredOverdose("O", organ, 3, 10)], 300);
        using var op = new CpuDoseOperator(a);
        var problem = new FluenceProblem(op, objective);
        double[] x = InitialFluence.Uniform(op, target, 10);
        OptimizationResult r = new ProjectedLbfgsB().Minimize(problem, x, new double[x.Length], preconditioner: problem.DiagonalPreconditioner(x));
        Assert.True(r.Objective < r.History[0].Objective);
        Assert.Equal("relative function tolerance", r.StopReason);
    }
}
