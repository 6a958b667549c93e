using System.Diagnostics;
using System.Globalization;
using MeTAI.Planner.Influence;
using MeTAI.Planner.Optimization;
using MeTAI.Planner.Optimization.Objectives;
using MeTAI.Planner.Optimization.Solver;

namespace MeTAI.Benchmarks.Optimization;

/// <summary>
/// <c>metai bench optimize</c>: the fluence optimisation alone on <see cref="SyntheticPlanProblem"/> — uniform start
/// scaled to the prescription, projected L-BFGS-B to its default stopping rule — timed from the first evaluation to
/// the last, repeated, plus the time of one A·w and one Aᵀ·g.
/// </summary>
public static class OptimizationBenchmark
{
    /// <summary>Result of one optimisation run.</summary>
    /// <param name="Iterations">Iterations.</param>
    /// <param name="Evaluations">Objective + gradient evaluations (one A·w and one Aᵀ·g each).</param>
    /// <param name="Seconds">Wall-clock seconds of the optimisation.</param>
    /// <param name="CpuSeconds">Process CPU seconds during it.</param>
    /// <param name="InitialObjective">F at the start.</param>
    /// <param name="FinalObjective">F at the end.</param>
    /// <param name="StopReason">Why it stopped.</param>
    public readonly record struct Run(int Iterations, int Evaluations, double Seconds, double CpuSeconds, double InitialObjective, double FinalObjective, string StopReason);

    /// <summary>Optimises <paramref name="problem"/> once with <paramref name="op"/>; returns the run and the final weights.</summary>
    public static (Run Run, double[] Weights) Optimize(SyntheticPlanProblem problem, IDoseOperator op, OptimizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(op);
        var objective = new PlanObjective(problem.Objectives(), problem.Matrix.Rows);
        var f = new FluenceProblem(op, objective);
        double[] x = InitialFluence.Uniform(op, problem.TargetRows, SyntheticPlanProblem.PrescriptionGy);
        var lower = new double[x.Length];
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        double[] pre = f.DiagonalPreconditioner(x);
        OptimizationResult r = new ProjectedLbfgsB(options).Minimize(f, x, lower, preconditioner: pre);
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        return (new Run(r.Iterations, r.Evaluations, r.Seconds, cpu, r.History[0].Objective, r.Objective, r.StopReason), x);
    }

    /// <summary>Median seconds of <paramref name="repeats"/> forward and adjoint products.</summary>
    public static (double ForwardSeconds, double AdjointSeconds) TimeProducts(IDoseOperator op, int repeats = 5)
    {
        ArgumentNullException.ThrowIfNull(op);
        var x = new float[op.Columns];
        Array.Fill(x, 1f);
        var y = new float[op.Rows];
        var g = new double[op.Columns];
        var fw = new double[repeats];
        var ad = new double[repeats];
        op.Forward(x, y);
        for (int r = 0; r < repeats; r++)
        {
            var sw = Stopwatch.StartNew();
            op.Forward(x, y);
            fw[r] = sw.Elapsed.TotalSeconds;
            sw.Restart();
            op.Adjoint(y, g);
            ad[r] = sw.Elapsed.TotalSeconds;
        }

        Array.Sort(fw);
        Array.Sort(ad);
        return (fw[repeats / 2], ad[repeats / 2]);
    }

    /// <summary>One line describing a run.</summary>
    public static string Describe(Run r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Iterations} iterations, {r.Evaluations} evaluations, {r.Seconds:0.00} s (CPU {r.CpuSeconds:0.00} s), F {r.InitialObjective:0.###e0} → {r.FinalObjective:0.###e0} ({r.StopReason})");
}
