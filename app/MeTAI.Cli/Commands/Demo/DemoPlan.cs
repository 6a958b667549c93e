using System.Globalization;
using MeTAI.Core.IO;
using MeTAI.Core.Phantoms;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;

namespace MeTAI.Cli.Commands.Demo;

/// <summary>The dosimetrist's part of the demo: an IMRT plan on the prostate phantom (TG-119 goals, five beams the HIL arm can reach), written as DICOM RT and PNGs.</summary>
internal static class DemoPlan
{
    /// <summary>Plans the prostate phantom into <paramref name="directory"/>; progress 0–1 follows the pipeline's log.</summary>
    public static (DemoPart Part, PlanResult Result) Run(string directory, bool quick, DeviceKind device, Action<double, string> progress, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        PlanCase planCase = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 5));
        // The TG-119 prostate goals with five beams from anterior and lateral directions: the beam poses the HIL arm can
        // carry the beam device to, so the radiotherapy-delivery scenario can deliver this very plan.
        Protocol protocol = ProtocolLoader.Load(ConfigFiles.PathOf("hil", "plans", "prostate-robot-protocol.json"));
        var defaults = new PlanSettings();
        var settings = defaults with
        {
            Device = device,
            HistoriesPerBeamlet = quick ? 2_000 : defaults.HistoriesPerBeamlet,
            FinalHistories = quick ? 5_000_000 : defaults.FinalHistories,
        };

        PlanResult result;
        using (var log = new StreamWriter(Path.Combine(directory, "plan.log")))
        {
            var sink = new SyncProgress<PlanStageProgress>(p => progress(0.97 * p.Fraction, p.Detail));
            result = PlanPipeline.Run(planCase, protocol, settings, log, sink, cancellationToken);
        }

        progress(0.98, "writing DICOM RT");
        PlanOutput.Write(result, directory);
        progress(1, "done");

        var inv = CultureInfo.InvariantCulture;
        GoalResult? d95 = result.Goals.FirstOrDefault(g => g.Metric == "D95");
        string figures = string.Create(inv,
            $"{result.Goals.Count(g => g.Passed)}/{result.Goals.Count} goals met{(d95 is null ? string.Empty : $", {d95.Structure} D95 {d95.Achieved:0.0} Gy")}, " +
            $"{result.Sequenced.Sum(b => b.Segments.Count)} segments, {result.TotalMuPerFraction:0} MU/fx");
        var part = new DemoPart
        {
            Name = "Plan prostate (IMRT, 5 beams, Monte Carlo)",
            Passed = result.AllGoalsPassed,
            Figures = figures,
            Directory = directory,
            Files = [.. PlanOutput.Files, "plan.log"],
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return (part, result);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
