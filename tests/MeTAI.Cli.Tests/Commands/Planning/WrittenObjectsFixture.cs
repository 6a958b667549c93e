using System.Globalization;
using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary>One CLI run of <see cref="WrittenObjectsFixture"/>: what it was, where it wrote, and what it read.</summary>
/// <param name="Setting">The command line, for messages.</param>
/// <param name="OutDir">Where it wrote.</param>
/// <param name="Written">Every DICOM file it wrote.</param>
/// <param name="Context">DICOM files it read that its objects reference (the CT and plan of a second check).</param>
/// <param name="ReportedMaxGy">The maximum dose its report or summary gives, or null when it writes no dose.</param>
internal sealed record WrittenRun(string Setting, string OutDir, IReadOnlyList<string> Written, IReadOnlyList<string> Context, double? ReportedMaxGy);

/// <summary>
/// Runs every CLI setting that changes what is written — <c>phantom</c> (each phantom), <c>plan</c> (each case type, a
/// DICOM case directory, with and without denoising, beam counts, sequencing levels), <c>dose --phantom</c> (water,
/// slab-lung, slab-bone, dose to water, fields, SSDs, MU), <c>dose --ct --plan</c> (fractions, denoising, isocentre,
/// dose to water, a plan recomputed on the CT it was not written with) and <c>dicom anonymize</c> — once, for the
/// checks of <see cref="WrittenObjectsTests"/>.
/// <para>
/// The Monte Carlo is kept short on purpose (100 histories per beamlet, 20 000 for a final or open-field dose, 10-20 mm
/// voxels): these runs check what is written — every attribute, reference and UID, a dose grid with a real maximum and
/// air around the body — not the dose's accuracy (Planner.Tests and the validation suite do that), and the whole loop
/// has to run in CI in a few minutes.
/// </para>
/// </summary>
public sealed class WrittenObjectsFixture
{
    private const string Histories = "20000";

    private readonly List<WrittenRun> _runs = [];

    /// <summary>Runs every setting; throws naming the setting when one fails.</summary>
    public WrittenObjectsFixture()
    {
        Root = CliRunner.TempDir("written-objects");
        foreach (string name in PhantomLibrary.Names)
        {
            Run(PhantomDir(name, 20), null, [], "phantom", name, "--voxel", "20");
        }

        string prostate = PhantomDir("prostate", 10);
        Run(prostate, null, [], "phantom", "prostate", "--voxel", "10");

        string[] quick = ["--beamlet-histories", "100", "--final-histories", Histories, "--device", "cpu", "--seed", "3"];
        string cshape = Plan("cshape", quick, "--case", "tg119-cshape", "--voxel", "10", "--beams", "3");
        string prostatePlan = Plan("prostate", quick, "--case", "prostate", "--voxel", "10", "--beams", "5", "--no-denoise", "--levels", "3");
        Plan("multitarget", quick, "--case", "multitarget", "--voxel", "10", "--levels", "7", "--min-segment-mu", "1");
        string dicomCase = Plan("dicom-case", quick, "--case", prostate, "--protocol", RepositoryPaths.Config("protocols", "prostate.json"), "--beams", "3");

        string[] mc = ["--histories", Histories, "--device", "cpu", "--seed", "5"];
        string water = OpenField("water", mc, "--phantom", "water", "--voxel", "20");
        OpenField("slab-lung", mc, "--phantom", "slab-lung", "--voxel", "20", "--field", "5x20", "--ssd", "90", "--dose-to-water");
        OpenField("slab-bone", mc, "--phantom", "slab-bone", "--voxel", "20", "--field", "15x7.5", "--ssd", "110", "--mu", "250");
        OpenField("water-small", mc, "--phantom", "water", "--voxel", "15", "--field", "3.3x3.3", "--ssd", "80", "--dose-to-water");

        SecondCheck("check-cshape", cshape, Path.Combine(cshape, "rtplan.dcm"), mc);
        SecondCheck("check-prostate", prostatePlan, Path.Combine(prostatePlan, "rtplan.dcm"), mc, "--fractions", "2", "--denoise");
        SecondCheck("check-cshape-iso", cshape, Path.Combine(cshape, "rtplan.dcm"), mc, "--isocenter", "0,0,0", "--dose-to-water", "--fractions", "1");
        SecondCheck("check-water-ssd", water, Path.Combine(water, "rtplan.dcm"), mc, "--isocenter", "ssd", "--fractions", "3");
        // The plan references the structure set written beside it (rings added: a new object with a new UID), not the
        // original folder's, so the case loader refuses the pair; the override is what a physicist would use here.
        SecondCheck("check-original-ct", prostate, Path.Combine(dicomCase, "rtplan.dcm"), mc, "--allow-inconsistent");

        Anonymize("anon-cshape", cshape);
        Anonymize("anon-prostate", prostatePlan, "--retain-dates", "--key", "written-objects");
    }

    /// <summary>The folder all runs wrote under.</summary>
    public string Root { get; }

    internal IReadOnlyList<WrittenRun> Runs => _runs;

    private string PhantomDir(string name, int voxelMm) => Path.Combine(Root, string.Create(CultureInfo.InvariantCulture, $"phantom-{name}-{voxelMm}"));

    private string Plan(string name, string[] quick, params string[] args)
    {
        string dir = Path.Combine(Root, "plan-" + name);
        Run(dir, ("report.json", ["finalDose", "maxDoseGy"]), [], ["plan", .. args, .. quick, "--out", dir]);
        return dir;
    }

    private string OpenField(string name, string[] mc, params string[] args)
    {
        string dir = Path.Combine(Root, "dose-" + name);
        Run(dir, ("summary.json", ["maxDose"]), [], ["dose", .. args, .. mc, "--out", dir]);
        return dir;
    }

    private void SecondCheck(string name, string caseDir, string plan, string[] mc, params string[] args)
    {
        string dir = Path.Combine(Root, name);
        List<string> context = [.. Directory.GetFiles(Path.Combine(caseDir, "ct"), "*.dcm"), plan];
        string rtstruct = Path.Combine(Path.GetDirectoryName(plan)!, "rtstruct.dcm");
        if (File.Exists(rtstruct))
        {
            context.Add(rtstruct);
        }

        Run(dir, ("summary.json", ["maxDoseGy"]), context, ["dose", "--ct", caseDir, "--plan", plan, .. args, .. mc, "--out", dir]);
    }

    private void Anonymize(string name, string from, params string[] args)
    {
        string dir = Path.Combine(Root, name);
        Run(dir, null, [], ["dicom", "anonymize", from, dir, .. args]);
    }

    private void Run(string outDir, (string File, string[] Path)? reportedMax, IReadOnlyList<string> context, params string[] args)
    {
        string[] full = args[0] == "phantom" ? [.. args, "--out", outDir] : args;
        string setting = "metai " + string.Join(' ', full.Select(a => a.StartsWith(Root, StringComparison.Ordinal) ? Path.GetRelativePath(Root, a) : a));
        (int code, string stdout, string stderr) = CliRunner.Run(full);
        if (code != 0)
        {
            throw new InvalidOperationException($"{setting} exited {code}: {stderr}{stdout}");
        }

        double? max = null;
        if (reportedMax is { } r)
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, r.File)));
            JsonElement e = doc.RootElement;
            foreach (string key in r.Path)
            {
                e = e.GetProperty(key);
            }

            max = e.GetDouble();
        }

        string[] written = [.. Directory.GetFiles(outDir, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        _runs.Add(new WrittenRun(setting, outDir, written, context, max));
    }
}
