using System.CommandLine;
using MeTAI.Benchmarks.Dose;
using MeTAI.Cli.Commands;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Benchmarks.Commands;

/// <summary>
/// <c>metai bench dose [--device cpu|cuda|auto] [--seconds 60] [--json]</c>: the reference Monte Carlo setup (30 cm water
/// cube, 5 mm voxels, 10×10 cm² at SSD 100 cm, 6 MV Mohan spectrum) — histories/s, mean uncertainty, efficiency.
/// </summary>
internal static class BenchDoseCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var seconds = new Option<double>("--seconds") { Description = "Approximate length of the timed run", DefaultValueFactory = _ => 60 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("dose", "Monte Carlo speed on the reference water-phantom setup.") { device, seconds, json };
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

                DoseBenchmarkResult r = DoseBenchmark.Run(DeviceKindParser.Parse(parse.GetValue(device)), s);
                stdout.WriteLine(parse.GetValue(json) ? CliJson.Serialize(r) : r.ToString());
                return 0;
            });
        });
        return command;
    }
}
