using System.Globalization;
using System.Text.RegularExpressions;
using MeTAI.Core.Phantoms;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;

namespace MeTAI.Cli.Commands.Demo;

/// <summary>The dosimetrist's part of the demo: an IMRT plan on the prostate phantom, written as DICOM RT and PNGs.</summary>
internal static partial class DemoPlan
{
    /// <summary>Plans the prostate phantom into <paramref name="directory"/>; progress 0–1 follows the pipeline's log.</summary>
    public static (DemoPart Part, PlanResult Result) Run(string directory, bool quick, DeviceKind device, Action<double, string> progress, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        PlanCase planCase = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 5));
        Protocol protocol = ProtocolLoader.Load(Path.Combine(DosimetryPaths.ConfigsDirectory(), "protocols", "prostate.json"));
        var defaults = new PlanSettings();
        var settings = defaults with
        {
            Device = device,
            HistoriesPerBeamlet = quick ? 2_000 : defaults.HistoriesPerBeamlet,
            FinalHistories = quick ? 5_000_000 : defaults.FinalHistories,
        };

        PlanResult result;
        string logPath = Path.Combine(directory, "plan.log");
        using (var log = new StreamWriter(logPath))
        using (var tap = new LineTap(log, line => Report(line, progress)))
        {
            progress(0.01, "beamlets");
            result = PlanPipeline.Run(planCase, protocol, settings, tap, cancellationToken);
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
            Name = "Plan prostate (IMRT, Monte Carlo)",
            Passed = result.AllGoalsPassed,
            Figures = figures,
            Directory = directory,
            Files = [.. PlanOutput.Files, "plan.log"],
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return (part, result);
    }

    private static void Report(string line, Action<double, string> progress)
    {
        string text = line.Trim();
        Match m = CountRegex().Match(text);
        double fraction = m.Success && double.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out double total) && total > 0
            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / total
            : 1;
        if (text.StartsWith("influence:", StringComparison.Ordinal))
        {
            progress(0.02 + (0.38 * fraction), "influence matrix");
        }
        else if (text.StartsWith("optimise:", StringComparison.Ordinal))
        {
            progress(0.42, "optimised fluence");
        }
        else if (text.StartsWith("sequence:", StringComparison.Ordinal))
        {
            progress(0.47, "leaf sequencing");
        }
        else if (text.StartsWith("segment doses:", StringComparison.Ordinal))
        {
            progress(0.5 + (0.4 * fraction), "Monte Carlo segment doses");
        }
        else if (text.StartsWith("segment weights", StringComparison.Ordinal))
        {
            progress(0.92, "segment weights");
        }
        else if (text.StartsWith("final dose", StringComparison.Ordinal))
        {
            progress(0.96, "final dose");
        }
    }

    [GeneratedRegex(@"(\d+)/(\d+) (?:beamlets|segments)")]
    private static partial Regex CountRegex();
}
