using System.CommandLine;
using System.Globalization;
using MeTAI.Benchmarks.Optimization;
using MeTAI.Cli.Commands;
using MeTAI.Core.Compute;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Influence;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench optimize [--size 122] [--repeats 3] [--threads N] [--scalar] [--json]</c>: fluence optimisation alone
/// on a matRad-sized synthetic problem (≈ 1.8 M voxels × 2.8 k beamlets, ≈ 50 M non-zeros, fixed seed).
/// </summary>
internal static class BenchOptimizeCommand
{
    public static Command Create()
    {
        var size = new Option<int>("--size") { Description = "Voxels per edge of the water cube (2.5 mm voxels)", DefaultValueFactory = _ => 122 };
        var repeats = new Option<int>("--repeats") { Description = "Timed optimisations", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Threads (default: logical CPUs)", DefaultValueFactory = _ => 0 };
        var scalar = new Option<bool>("--scalar") { Description = "Use the scalar kernel instead of AVX2" };
        var spmv = new Option<string>("--spmv") { Description = "Influence-matrix products: cpu or ilgpu", DefaultValueFactory = _ => "cpu" };
        var device = new Option<string>("--device") { Description = "ILGPU device for --spmv ilgpu: auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("optimize", "Fluence optimisation speed on a matRad-sized problem.") { size, repeats, threads, scalar, spmv, device, json };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                int n = parse.GetValue(size), reps = parse.GetValue(repeats);
                if (n < 20 || n > 300 || reps < 1)
                {
                    throw new ArgumentException("--size must be 20–300 and --repeats at least 1.");
                }

                using var pool = new WorkerPool(parse.GetValue(threads));
                SyntheticPlanProblem problem = SyntheticPlanProblem.Generate(n, pool: pool);
                string spmvName = parse.GetValue(spmv)!.Trim().ToLowerInvariant();
                using IDoseOperator op = spmvName switch
                {
                    "cpu" => new CpuDoseOperator(problem.Matrix, pool, useSimd: !parse.GetValue(scalar)),
                    "ilgpu" => new IlgpuDoseOperator(problem.Matrix, DeviceKindParser.Parse(parse.GetValue(device))),
                    _ => throw new ArgumentException($"--spmv '{spmvName}': use cpu or ilgpu."),
                };
                (double fw, double ad) = OptimizationBenchmark.TimeProducts(op);
                var runs = new List<OptimizationBenchmark.Run>();
                bool asJson = parse.GetValue(json);
                if (!asJson)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"bench optimize: {problem.Matrix.Rows:N0} voxels × {problem.Matrix.Columns:N0} beamlets, {problem.Matrix.NonZeros / 1e6:0.0} M non-zeros ({problem.Matrix.Bytes / 1048576.0:0} MiB), generated in {problem.GenerationSeconds:0.0} s; {op.Name}; A·w {1000 * fw:0} ms, Aᵀ·g {1000 * ad:0} ms (all rows)"));
                }

                for (int r = 0; r < reps; r++)
                {
                    (OptimizationBenchmark.Run run, _) = OptimizationBenchmark.Optimize(problem, op);
                    runs.Add(run);
                    if (!asJson)
                    {
                        stdout.WriteLine($"  run {r + 1}: {OptimizationBenchmark.Describe(run)}");
                    }
                }

                double[] secs = [.. runs.Select(x => x.Seconds).Order()];
                double median = secs[secs.Length / 2];
                if (asJson)
                {
                    stdout.WriteLine(CliJson.Serialize(new
                    {
                        voxels = problem.Matrix.Rows,
                        beamlets = problem.Matrix.Columns,
                        nonZeros = problem.Matrix.NonZeros,
                        generationSeconds = problem.GenerationSeconds,
                        @operator = op.Name,
                        forwardSeconds = fw,
                        adjointSeconds = ad,
                        iterations = runs[^1].Iterations,
                        evaluations = runs[^1].Evaluations,
                        seconds = median,
                        runs = runs.Select(x => new { iterations = x.Iterations, evaluations = x.Evaluations, seconds = x.Seconds, cpuSeconds = x.CpuSeconds, initialObjective = x.InitialObjective, finalObjective = x.FinalObjective, stopReason = x.StopReason }),
                    }));
                }
                else
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"median {median:0.00} s over {reps} runs ({runs[^1].Iterations} iterations); best {secs[0]:0.00} s"));
                }

                return 0;
            });
        });
        return command;
    }
}
