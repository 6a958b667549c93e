using System.CommandLine;
using System.Globalization;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;

namespace MeTAI.Cli.Commands.Planning;

/// <summary>
/// <c>metai dose --phantom water|slab-lung|slab-bone --field 10x10 --ssd 100 --beam 6MV --histories N --voxel 5
/// --device auto --seed S --out DIR</c>: a Monte Carlo open-field calculation on a phantom. Writes DIR/ct/,
/// rtstruct.dcm, rtplan.dcm, rtdose.dcm, pdd.csv (central axis), profile.csv (lateral, 10 cm depth), dose.png and
/// summary.json. Plan mode, <c>metai dose --ct DIR --plan rtplan.dcm --out DIR [--isocenter X,Y,Z|ssd] [--fractions N]</c>:
/// the independent second check of an existing RT Plan on a CT (an export folder or DICOMDIR too; <c>--ct-series</c>,
/// <c>--structure-set</c>; plan and CT of another patient, study or frame of reference are refused unless
/// <c>--allow-inconsistent</c>). Both runs are the planner's (<see cref="OpenFieldRun"/>,
/// <see cref="SecondCheckRun"/>); this command parses the options and prints.
/// </summary>
internal static class DoseCommand
{
    public static Command Create()
    {
        var phantom = new Option<string?>("--phantom") { Description = "Phantom: water, slab-lung or slab-bone" };
        var field = new Option<string>("--field") { Description = "Field size in cm at the isocentre, WxH (e.g. 10x10)", DefaultValueFactory = _ => "10x10" };
        var ssd = new Option<double>("--ssd") { Description = "Source-to-surface distance, cm", DefaultValueFactory = _ => 100 };
        var beam = new Option<string>("--beam") { Description = "Beam model (6MV: configs/beams/6MV-mohan.json)", DefaultValueFactory = _ => "6MV" };
        var histories = new Option<long>("--histories") { Description = "Source photons to simulate", DefaultValueFactory = _ => 10_000_000 };
        var voxel = new Option<double>("--voxel") { Description = "Voxel size, mm", DefaultValueFactory = _ => 5 };
        var device = new Option<string>("--device") { Description = "auto, cpu or cuda", DefaultValueFactory = _ => "auto" };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed and device configuration ⇒ same dose)", DefaultValueFactory = _ => 1 };
        var mu = new Option<double>("--mu") { Description = "Monitor units (dose in Gy for this many MU; 1 cGy/MU at dmax, 10×10, SSD 100)", DefaultValueFactory = _ => 100 };
        var toWater = new Option<bool>("--dose-to-water") { Description = "Report dose to water instead of dose to medium" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory", Required = true };
        var ct = new Option<DirectoryInfo?>("--ct") { Description = "Plan mode: the CT to recompute --plan on: a case directory (ct/), the slices, an export folder or a folder with a DICOMDIR" };
        var plan = new Option<FileInfo?>("--plan") { Description = "Plan mode: DICOM RT Plan to recompute (jaws, MLC, MU, angles, isocentre)" };
        var isocenter = new Option<string?>("--isocenter") { Description = "Plan mode: move the isocentre to X,Y,Z (LPS mm), or 'ssd' to keep the plan's SSD on the CT's central axis" };
        var fractions = new Option<int?>("--fractions") { Description = "Plan mode: fractions to sum (default: the plan's Number of Fractions Planned)" };
        var denoise = new Option<bool>("--denoise") { Description = "Plan mode: denoise the Monte Carlo dose (LASG)" };
        var inputs = new CaseOptions();
        var command = new Command("dose", "Monte Carlo dose: an open field on a phantom, or an existing RT Plan recomputed on a CT (second check).")
        {
            phantom, field, ssd, beam, histories, voxel, device, seed, mu, toWater, output, ct, plan, isocenter, fractions, denoise,
        };
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string? phantomName = parse.GetValue(phantom);
                FileInfo? planFile = parse.GetValue(plan);
                DirectoryInfo? ctDir = parse.GetValue(ct);
                if (planFile is not null || ctDir is not null)
                {
                    if (planFile is null || ctDir is null || phantomName is not null)
                    {
                        throw new ArgumentException("Plan mode needs both --ct DIR and --plan FILE (and no --phantom).");
                    }

                    var check = new SecondCheckRequest(ctDir.FullName, planFile.FullName, parse.GetValue(isocenter), parse.GetValue(fractions),
                        parse.GetValue(histories), DeviceKindParser.Parse(parse.GetValue(device)), parse.GetValue(seed), parse.GetValue(denoise), parse.GetValue(output)!.FullName)
                    {
                        DoseToWater = parse.GetValue(toWater),
                        Inputs = inputs.Options(parse),
                    };
                    SecondCheckResult c = SecondCheckRun.Run(check, stdout);
                    PlanDose d = c.Dose;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{d.Histories:N0} histories in {d.Seconds:0.0} s on {d.DeviceName}; σ(D>50%) {100 * d.MeanRelUncertaintyAbove50:0.0} %; max {d.MaxDoseGy:0.000} Gy; at the isocentre {c.DoseAtIsocenterGy:0.000} Gy ({c.DoseAtIsocenterGy / c.Fractions:0.000} Gy per fraction)"));
                    stdout.WriteLine($"wrote rtdose.dcm, summary.json to {c.OutDir}");
                    return 0;
                }

                if (phantomName is null)
                {
                    throw new ArgumentException("--phantom is required (water, slab-lung or slab-bone), or --ct DIR --plan FILE for plan mode.");
                }

                (double fx, double fy) = ParseField(parse.GetValue(field)!);
                var options = new OpenFieldRequest(phantomName, fx, fy, parse.GetValue(ssd), parse.GetValue(beam)!,
                    parse.GetValue(histories), parse.GetValue(voxel), DeviceKindParser.Parse(parse.GetValue(device)),
                    parse.GetValue(seed), parse.GetValue(mu), parse.GetValue(toWater), parse.GetValue(output)!.FullName);
                DoseResult r = OpenFieldRun.Run(options, stdout);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Histories:N0} histories in {r.Seconds:0.0} s ({r.HistoriesPerSecond:N0}/s) on {r.DeviceName}; mean uncertainty (D > 50 % Dmax) {100 * r.MeanRelUncertaintyAbove50:0.00} %, efficiency {r.Efficiency:0.0} s⁻¹; max {r.MaxDose:0.000} {r.DoseUnit}, dmax {r.DmaxMm:0.0} mm"));
                stdout.WriteLine($"wrote ct/, rtstruct.dcm, rtplan.dcm, rtdose.dcm, pdd.csv, profile.csv, dose.png, summary.json to {options.OutDir}");
                return 0;
            });
        });
        return command;
    }

    /// <summary>Parses "10x10" (cm) into width and height.</summary>
    public static (double XCm, double YCm) ParseField(string text)
    {
        string[] parts = text.ToLowerInvariant().Split('x', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double y)
            && x > 0 && y > 0 && x <= 40 && y <= 40)
        {
            return (x, y);
        }

        throw new ArgumentException($"--field '{text}' is not WxH in cm (each 0–40), e.g. 10x10.");
    }
}
