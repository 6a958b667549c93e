using System.CommandLine;
using System.Globalization;
using MeTAI.Benchmarks.SoftBody;
using MeTAI.Cli.Commands;
using MeTAI.Core.Phantoms;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench softbody --tets 1000,10000,50000</c>: XPBD steps per second on the liver-needle avatar meshed to each
/// size; one step = 1 ms of simulated time with its substeps.
/// </summary>
internal static class BenchSoftBodyCommand
{
    public static Command Create()
    {
        var tets = new Option<string>("--tets") { Description = "Comma-separated tet counts", DefaultValueFactory = _ => "1000,10000,50000" };
        var threads = new Option<string>("--threads") { Description = "Comma-separated worker thread counts", DefaultValueFactory = _ => "1,2" };
        var substeps = new Option<int>("--substeps") { Description = "Substeps per 1 ms step", DefaultValueFactory = _ => 4 };
        var iterations = new Option<int>("--iterations") { Description = "Constraint passes per substep", DefaultValueFactory = _ => 1 };
        var seconds = new Option<double>("--seconds") { Description = "Length of each timed run, s", DefaultValueFactory = _ => 2.0 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per row (the best counts)", DefaultValueFactory = _ => 3 };
        var noSimd = new Option<bool>("--no-simd") { Description = "Use the scalar kernel" };
        var config = new Option<FileInfo?>("--avatar-config") { Description = "Avatar config (default configs/avatars/liver-needle.json)" };
        var command = new Command("softbody", "XPBD soft-body steps per second on the liver-needle avatar.")
        {
            tets, threads, substeps, iterations, seconds, repeats, noSimd, config,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                int[] sizes = CaseFiles.ParseInts(parse.GetValue(tets)!, "--tets");
                int[] threadCounts = CaseFiles.ParseInts(parse.GetValue(threads)!, "--threads");
                AvatarConfig avatarConfig = AvatarConfigLoader.Load(parse.GetValue(config)?.FullName ?? CaseFiles.AvatarConfigPath("liver-needle"));
                Phantom phantom = PhantomLibrary.Build("liver-needle", 2);
                int sub = parse.GetValue(substeps), it = parse.GetValue(iterations);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"softbody: liver-needle avatar, stable Neo-Hookean XPBD; 1 step = 1 ms simulated = {sub} substeps x {it} iteration(s); best of {parse.GetValue(repeats)} runs of {parse.GetValue(seconds)} s; {Environment.ProcessorCount} logical CPUs"));
                stdout.WriteLine("tets(asked)    tets  active   nodes colours cell_mm threads simd    steps/s   ms/step  Mtet-proj/s  1kHz");
                foreach (int size in sizes)
                {
                    PatientAvatar avatar = SoftBodyBenchmark.LiverNeedleAvatar(size, avatarConfig, phantom);
                    SoftBodyModel model = SoftBodyModel.Create(avatar);
                    foreach (int threadCount in threadCounts)
                    {
                        var settings = new XpbdSettings { Substeps = sub, Iterations = it, Threads = threadCount, UseSimd = !parse.GetValue(noSimd) };
                        SoftBodyBenchmarkResult r = SoftBodyBenchmark.Run(model, settings, size, avatar.CellMm, parse.GetValue(seconds), parse.GetValue(repeats));
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{r.RequestedTets,11} {r.Tets,7} {r.ActiveTets,7} {r.Nodes,7} {r.Colours,7} {r.CellMm,7:0.0} {r.Threads,7} {(r.Simd ? "yes" : "no"),4} {r.StepsPerSecond,10:0} {r.MsPerStep,9:0.000} {r.MegaTetProjectionsPerSecond,12:0.0}  {(r.RealTimeAt1kHz ? "yes" : "no")}"));
                    }
                }

                return 0;
            });
        });
        return command;
    }
}
