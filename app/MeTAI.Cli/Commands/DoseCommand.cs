using System.CommandLine;
using System.Globalization;
using MeTAI.Dosimetry.Engines;

namespace MeTAI.Cli.Commands;

/// <summary>
/// <c>metai dose --phantom water|slab-lung|slab-bone --field 10x10 --ssd 100 --beam 6MV --histories N --voxel 5
/// --device auto --seed S --out DIR</c>: a Monte Carlo open-field calculation on a phantom. Writes DIR/ct/,
/// rtstruct.dcm, rtplan.dcm, rtdose.dcm, pdd.csv (central axis), profile.csv (lateral, 10 cm depth), dose.png and
/// summary.json.
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
        var command = new Command("dose", "Monte Carlo dose: an open field on a phantom.")
        {
            phantom, field, ssd, beam, histories, voxel, device, seed, mu, toWater, output,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output, stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, () =>
            {
                string? phantomName = parse.GetValue(phantom);
                if (phantomName is null)
                {
                    throw new ArgumentException("--phantom is required (water, slab-lung or slab-bone).");
                }

                (double fx, double fy) = ParseField(parse.GetValue(field)!);
                var options = new DosePhantomRun.Options(phantomName, fx, fy, parse.GetValue(ssd), parse.GetValue(beam)!,
                    parse.GetValue(histories), parse.GetValue(voxel), DeviceKindParser.Parse(parse.GetValue(device)),
                    parse.GetValue(seed), parse.GetValue(mu), parse.GetValue(toWater), parse.GetValue(output)!.FullName);
                DoseResult r = DosePhantomRun.Run(options, stdout);
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
