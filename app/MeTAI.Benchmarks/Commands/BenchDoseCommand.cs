using System.CommandLine;
using MeTAI.Benchmarks.Dose;
using MeTAI.Cli.Commands;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench dose [--device cpu|cuda|auto] [--seconds 60] [--json] [--point-only]</c>: the reference Monte Carlo
/// setup (30 cm water cube, 5 mm voxels, 10×10 cm² at SSD 100 cm) with the 6MV-point model and the full 6MV model —
/// histories/s, mean uncertainty, efficiency, and the full model's cost per history relative to the point model's.
/// </summary>
internal static class BenchDoseCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var seconds = new Option<double>("--seconds") { Description = "Approximate length of the timed run", DefaultValueFactory = _ => 60 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var pointOnly = new Option<bool>("--point-only") { Description = "Only the point model (the earlier benchmark); by default the point and the full 6MV model run interleaved" };
        var command = new Command("dose", "Monte Carlo speed on the reference water-phantom setup: point model and full model.") { device, seconds, json, pointOnly };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                double s = parse.GetValue(seconds);
                if (!(s > 0))
                {
                    throw new ArgumentException("--seconds must be positive.");
                }

                DeviceKind kind = DeviceKindParser.Parse(parse.GetValue(device));
                if (parse.GetValue(pointOnly))
                {
                    DoseBenchmarkResult r = DoseBenchmark.Run(kind, s);
                    stdout.WriteLine(parse.GetValue(json) ? CliJson.Serialize(r) : r.ToString());
                    return 0;
                }

                DoseModelComparison c = DoseBenchmark.Compare(kind, s);
                stdout.WriteLine(parse.GetValue(json) ? CliJson.Serialize(c) : c.ToString());
                return 0;
            });
        });
        return command;
    }
}
