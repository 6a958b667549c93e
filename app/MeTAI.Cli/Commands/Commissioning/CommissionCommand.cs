using System.CommandLine;
using System.Globalization;
using MeTAI.Dosimetry.Commissioning;
using MeTAI.Dosimetry.Engines;
using MeTAI.Dosimetry.Materials;
using MeTAI.Planner.Commissioning;

namespace MeTAI.Cli.Commands.Commissioning;

/// <summary>
/// <c>metai commission --beam-data DIR --base FILE --out FILE [--histories N] [--seed S] [--voxel-mm V] [--device D]
/// [--gamma-dose 2] [--gamma-dta 2] [--local]</c>: fits a beam model to measured water-tank data (mcc, W2CAD, CSV)
/// and writes the beam JSON plus a report next to it (<see cref="CommissioningRun"/>; docs/commissioning.md).
/// </summary>
internal static class CommissionCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--beam-data") { Description = "Folder of tank-data files (.mcc, .asc W2CAD, .csv)", Required = true };
        var baseFile = new Option<FileInfo>("--base") { Description = "Base beam model JSON (its schema decides what is fitted)", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Commissioned beam model JSON to write (report in NAME-report/ next to it)", Required = true };
        var histories = new Option<long>("--histories") { Description = "Histories per Monte Carlo run (one run per field and fit node)", DefaultValueFactory = _ => 2_000_000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 2026 };
        var voxel = new Option<double>("--voxel-mm") { Description = "Water-box voxel, mm (5 on CPU; 2 on a GPU for penumbrae)", DefaultValueFactory = _ => 5 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var gammaDose = new Option<double>("--gamma-dose") { Description = "Gamma dose criterion, percent", DefaultValueFactory = _ => 2 };
        var gammaDta = new Option<double>("--gamma-dta") { Description = "Gamma distance to agreement, mm", DefaultValueFactory = _ => 2 };
        var local = new Option<bool>("--local") { Description = "Local gamma (default global: percent of the normalisation value)" };
        var command = new Command("commission", "Fit a beam model to measured water-tank data; write the beam JSON and a report.")
        {
            data, baseFile, output, histories, seed, voxel, device, gammaDose, gammaDta, local,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                var options = new CommissioningOptions
                {
                    Histories = parse.GetValue(histories),
                    Seed = parse.GetValue(seed),
                    Comparison = new ComparisonOptions { DoseTolerance = parse.GetValue(gammaDose) / 100, DtaMm = parse.GetValue(gammaDta), Local = parse.GetValue(local) },
                };
                try
                {
                    (CommissioningResult r, string report) = CommissioningRun.Run(parse.GetValue(data)!.FullName, parse.GetValue(baseFile)!.FullName,
                        parse.GetValue(output)!.FullName, options, parse.GetValue(voxel), DeviceKindParser.Parse(parse.GetValue(device)), stdout);
                    int met = r.Curves.Count(c => CommissioningCriteria.Check(c).Pass) + r.OutputFactors.Count(CommissioningCriteria.Check);
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"commission: {met} of {r.Curves.Count + r.OutputFactors.Count} curves and output factors meet issue 18's criteria; report {report}"));
                    return 0;
                }
                catch (MaterialDataException ex)
                {
                    stderr.WriteLine($"metai: {ex.Message}");
                    return 1;
                }
            });
        });
        return command;
    }
}
