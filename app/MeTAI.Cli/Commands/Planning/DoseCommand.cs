using System.CommandLine;
using System.Globalization;
using MeTAI.Dosimetry.Analysis;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;

namespace MeTAI.Cli.Commands.Planning;

/// <summary>
/// <c>metai dose --phantom water|slab-lung|slab-bone --field 10x10 --ssd 100 --beam 6MV --histories N --voxel 5
/// --device auto --seed S --out DIR</c>: a Monte Carlo open-field calculation on a phantom; <c>--uncertainty PCT</c>
/// (<c>--uncertainty-roi NAME</c>, <c>--max-histories N</c>) runs it to a target uncertainty instead of N histories. Writes DIR/ct/,
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
        var beam = new Option<string>("--beam") { Description = "Beam model: 6MV (configs/beams/6MV.json, virtual source model) or 6MV-point (configs/beams/6MV-point.json)", DefaultValueFactory = _ => "6MV" };
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
        var uncertainty = new Option<double?>("--uncertainty") { Description = "Run in batches until the mean relative σ (D > 50 % Dmax, or --uncertainty-roi) is at most PCT % at 95 % confidence (docs/monte-carlo.md); replaces --histories" };
        var uncertaintyRoi = new Option<string?>("--uncertainty-roi") { Description = "The ROI whose voxels --uncertainty is taken over (default: the voxels above 50 % of the maximum)" };
        var maxHistories = new Option<long>("--max-histories") { Description = "History cap of a run to --uncertainty (it stops there and says so)", DefaultValueFactory = _ => 2_000_000_000 };
        var json = new Option<bool>("--json") { Description = "Print the run's summary as JSON (summary.json) instead of the text lines" };
        var inputs = new CaseOptions();
        var command = new Command("dose", "Monte Carlo dose: an open field on a phantom, or an existing RT Plan recomputed on a CT (second check).")
        {
            phantom, field, ssd, beam, histories, voxel, device, seed, mu, toWater, output, ct, plan, isocenter, fractions, denoise, uncertainty, uncertaintyRoi, maxHistories, json,
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

                    if (parse.GetValue(uncertaintyRoi) is not null)
                    {
                        throw new ArgumentException("--uncertainty-roi is not supported in plan mode (--ct/--plan): the second check's target is over D > 50 % Dmax.");
                    }

                    if (parse.GetValue(uncertainty) is not null && parse.GetResult(histories) is { Implicit: false })
                    {
                        throw new ArgumentException("--histories and --uncertainty exclude each other: a run to a target uncertainty chooses its histories (cap them with --max-histories).");
                    }

                    var check = new SecondCheckRequest(ctDir.FullName, planFile.FullName, parse.GetValue(isocenter), parse.GetValue(fractions),
                        parse.GetValue(histories), DeviceKindParser.Parse(parse.GetValue(device)), parse.GetValue(seed), parse.GetValue(denoise), parse.GetValue(output)!.FullName)
                    {
                        DoseToWater = parse.GetValue(toWater),
                        Inputs = inputs.Options(parse),
                        UncertaintyPercent = parse.GetValue(uncertainty),
                        MaxHistories = parse.GetValue(maxHistories),
                    };
                    SecondCheckResult c = SecondCheckRun.Run(check, parse.GetValue(json) ? stderr : stdout);
                    if (parse.GetValue(json))
                    {
                        stdout.WriteLine(File.ReadAllText(Path.Combine(c.OutDir, "summary.json")));
                        return 0;
                    }

                    PlanDose d = c.Dose;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{d.Histories:N0} histories in {d.Seconds:0.0} s on {d.DeviceName}; σ(D>50%) {100 * d.MeanRelUncertaintyAbove50:0.0} %; max {d.MaxDoseGy:0.000} Gy; at the isocentre {c.DoseAtIsocenterGy:0.000} Gy ({c.DoseAtIsocenterGy / c.Fractions:0.000} Gy per fraction)"));
                    if (d.Target is { } dt)
                    {
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"target σ ≤ {100 * dt.RelativeUncertainty:0.###} % over D > 50 % Dmax: {(d.Stop == StopReason.TargetReached ? "reached" : "NOT reached (history cap)")} with {d.Histories:N0} histories; σ {100 * d.StoppingUncertainty:0.00} %, upper bound {100 * d.StoppingUpperBound:0.00} % at {100 * dt.Confidence:0} % confidence"));
                    }

                    stdout.WriteLine($"wrote rtdose.dcm, summary.json to {c.OutDir}");
                    return 0;
                }

                if (phantomName is null)
                {
                    throw new ArgumentException("--phantom is required (water, slab-lung or slab-bone), or --ct DIR --plan FILE for plan mode.");
                }

                (double fx, double fy) = ParseField(parse.GetValue(field)!);
                double? pct = parse.GetValue(uncertainty);
                if (pct is not null && parse.GetResult(histories) is { Implicit: false })
                {
                    throw new ArgumentException("--histories and --uncertainty exclude each other: a run to a target uncertainty chooses its histories (cap them with --max-histories).");
                }

                bool asJson = parse.GetValue(json);
                var options = new OpenFieldRequest(phantomName, fx, fy, parse.GetValue(ssd), parse.GetValue(beam)!,
                    parse.GetValue(histories), parse.GetValue(voxel), DeviceKindParser.Parse(parse.GetValue(device)),
                    parse.GetValue(seed), parse.GetValue(mu), parse.GetValue(toWater), parse.GetValue(output)!.FullName)
                {
                    UncertaintyPercent = pct,
                    UncertaintyRoi = parse.GetValue(uncertaintyRoi),
                    MaxHistories = parse.GetValue(maxHistories),
                };
                DoseResult r = OpenFieldRun.Run(options, asJson ? stderr : stdout);
                if (asJson)
                {
                    stdout.WriteLine(File.ReadAllText(Path.Combine(options.OutDir, "summary.json")));
                    return 0;
                }

                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Histories:N0} histories in {r.Seconds:0.0} s ({r.HistoriesPerSecond:N0}/s) on {r.DeviceName}; mean uncertainty (D > 50 % Dmax) {100 * r.MeanRelUncertaintyAbove50:0.00} %, efficiency {r.Efficiency:0.0} s⁻¹; max {r.MaxDose:0.000} {r.DoseUnit}, dmax {r.DmaxMm:0.0} mm"));
                if (r.Target is { } t)
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"target σ ≤ {100 * t.RelativeUncertainty:0.###} % over {options.UncertaintyRoi ?? "D > 50 % Dmax"}: {(r.Stop == StopReason.TargetReached ? "reached" : "NOT reached (history cap)")} after {r.Batches} batches, {r.Histories:N0} histories; σ {100 * r.StoppingUncertainty:0.00} %, upper bound {100 * r.StoppingUpperBound:0.00} % at {100 * t.Confidence:0} % confidence"));
                }

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
