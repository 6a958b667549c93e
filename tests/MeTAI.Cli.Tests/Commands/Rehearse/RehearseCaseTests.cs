using System.Globalization;
using System.Text.Json;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.Rehearse;

/// <summary>
/// <c>metai rehearse --case DIR</c> on an abdomen written by pydicom (<c>Tools/abdomen_case.py</c>: CT slices with fat,
/// muscle, liver, tumour, vessel and a vertebra by HU; an RT Structure Set with polygon contours): the avatar's tissues
/// come from the ROIs' interpreted types and names and, outside them, from the CT numbers
/// (<c>configs/avatars/ct-abdomen.json</c>); the mesh keeps the quality limits; target and avoided ROIs are chosen by
/// name and an unknown name is refused with the ROIs the structure set has.
/// </summary>
public sealed class RehearseCaseTests : IClassFixture<RehearseCaseTests.AbdomenRun>
{
    private readonly AbdomenRun _run;

    public RehearseCaseTests(AbdomenRun run) => _run = run;

    [ToolFact("pydicom")]
    public void Rehearse_PydicomAbdomen_TissuesFromRoiTypesNamesAndHu()
    {
        Assert.True(_run.Exit == 0, _run.Stderr + _run.Stdout);
        JsonElement summary = _run.Summary();
        Dictionary<string, string?> tissueOf = summary.GetProperty("roiTissues").EnumerateArray()
            .ToDictionary(r => r.GetProperty("roi").GetString()!, r => r.TryGetProperty("tissue", out JsonElement t) ? t.GetString() : null); // null fields are left out
        Assert.Equal("soft-tissue", tissueOf["Body"]);
        Assert.Equal("liver", tissueOf["Liver"]);
        Assert.Equal("tumour", tissueOf["Tumor"]);
        Assert.Equal("vessel-wall", tissueOf["Portal vein"]);
        Assert.Null(tissueOf["Stomach"]);
        Assert.Contains("ROI 'Stomach' (ORGAN) -> no tissue (no rule matched: keeps the HU tissues)", _run.Stdout, StringComparison.Ordinal);

        // The script's fat layer, muscle and vertebra (700 HU, no ROI) are found by CT number: a 15 mm fat ring around
        // the 125 × 85 mm muscle ellipse and an 18 mm disc, over 120 mm, less what the ROIs cover (4 mm voxels).
        JsonElement hu = summary.GetProperty("huTissueVoxels");
        double voxelMm3 = 64;
        Assert.InRange(hu.GetProperty("HU:fat").GetInt64() * voxelMm3 / 1000, 0.85 * FatCc, 1.15 * FatCc);
        Assert.InRange(hu.GetProperty("HU:bone").GetInt64() * voxelMm3 / 1000, 0.85 * VertebraCc, 1.15 * VertebraCc);
        Assert.True(hu.GetProperty("HU:muscle").GetInt64() > hu.GetProperty("HU:fat").GetInt64());

        // The target is the tumour pydicom wrote: a 15 mm sphere at (-60, 10, 0).
        double[] target = [.. summary.GetProperty("chosen").GetProperty("targetLps").EnumerateArray().Select(e => e.GetDouble())];
        Assert.True(Math.Sqrt(Math.Pow(target[0] + 60, 2) + Math.Pow(target[1] - 10, 2) + Math.Pow(target[2], 2)) < 2, string.Join(", ", target));
    }

    [ToolFact("pydicom")]
    public void Rehearse_PydicomAbdomen_MeshWithinTheQualityLimitsAndClearOfTheVessel()
    {
        Assert.True(_run.Exit == 0, _run.Stderr + _run.Stdout);
        JsonElement mesh = _run.Summary().GetProperty("mesh");
        Assert.Equal(0, mesh.GetProperty("invertedTets").GetInt32());
        Assert.True(mesh.GetProperty("minDihedralDeg").GetDouble() >= 10, mesh.ToString());
        Assert.True(mesh.GetProperty("maxAspectRatio").GetDouble() <= 8, mesh.ToString());
        Assert.True(mesh.GetProperty("withinLimits").GetBoolean());
        Assert.True(mesh.GetProperty("interfaceNodesOnSurface").GetInt32() >= 0.7 * mesh.GetProperty("interfaceNodes").GetInt32(), mesh.ToString());
        Assert.True(mesh.GetProperty("skinNodesOnSurface").GetInt32() >= 0.8 * mesh.GetProperty("skinNodes").GetInt32(), mesh.ToString());
        Assert.Matches(@"mesh quality: min dihedral \d+\.\d deg \(limit 10\), max dihedral \d+\.\d deg, max aspect ratio \d\.\d\d \(limit 8\), inverted tets 0", _run.Stdout);

        using JsonDocument trajectories = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run.OutDir, "trajectories.json")));
        JsonElement best = trajectories.RootElement.GetProperty("candidates")[0];
        Assert.True(best.GetProperty("feasible").GetBoolean());
        Assert.True(best.GetProperty("clearanceByRoiMm").GetProperty("Portal vein").GetDouble() >= 5);
    }

    [ToolFact("pydicom")]
    public void Rehearse_PydicomAbdomen_UnknownAvoidIsRefusedListingTheRois()
    {
        string outDir = CliRunner.TempDir("rehearse-abdomen-unknown");
        (int exit, _, string stderr) = CliRunner.Run("rehearse", "--case", _run.CaseDir, "--target", "Tumor", "--avoid", "Portal vein,Aorta", "--out", outDir);
        Assert.Equal(1, exit);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outDir));
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("has no ROI 'Aorta' (to avoid); its ROIs: 'Body', 'Liver', 'Tumor', 'Portal vein', 'Stomach'", stderr, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void Rehearse_PydicomAbdomen_NoBodyOutlineIsRefused()
    {
        // A config whose body rule matches nothing: the refusal names the rule and lists the ROIs with their types.
        string config = Path.Combine(_run.CaseDir, "no-body.json");
        File.WriteAllText(config, File.ReadAllText(Path.Combine(CliRunner.RepositoryRoot(), "configs", "avatars", "ct-abdomen.json"))
            .Replace("\"EXTERNAL\"", "\"SUPPORT\"", StringComparison.Ordinal).Replace("\"body\",", "\"couch\",", StringComparison.Ordinal));
        string outDir = CliRunner.TempDir("rehearse-abdomen-nobody");
        (int exit, _, string stderr) = CliRunner.Run("rehearse", "--case", _run.CaseDir, "--target", "Tumor", "--avatar-config", config, "--out", outDir);
        Assert.Equal(1, exit);
        Assert.Contains("no ROI matches the body outline rule (type SUPPORT or name contains 'couch'", stderr, StringComparison.Ordinal);
        Assert.Contains("'Body' (EXTERNAL)", stderr, StringComparison.Ordinal);
    }

    private static double FatCc => Math.PI * ((140 * 100) - (125 * 85)) * 120 / 1000;

    private static double VertebraCc => Math.PI * 18 * 18 * 120 / 1000;

    /// <summary>The abdomen written by pydicom and rehearsed once (14 mm cells, 4 candidates at 60 mm/s).</summary>
    public sealed class AbdomenRun
    {
        public AbdomenRun()
        {
            CaseDir = CliRunner.TempDir("rehearse-abdomen");
            OutDir = CliRunner.TempDir("rehearse-abdomen-out");
            if (OutsideTools.Missing("pydicom") is not null)
            {
                return;
            }

            ProcessOutput script = OutsideTools.Run(OutsideTools.Python,
                [Path.Combine(AppContext.BaseDirectory, "Commands", "Rehearse", "Tools", "abdomen_case.py"), CaseDir, "--voxel", 4.ToString(CultureInfo.InvariantCulture)]);
            Assert.True(script.ExitCode == 0, script.Output);
            (Exit, Stdout, Stderr) = CliRunner.Run("rehearse", "--case", CaseDir, "--target", "Tumor", "--avoid", "Portal vein", "--out", OutDir,
                "--resolution-mm", "14", "--candidates", "4", "--speed-mm-s", "60", "--threads", "2");
        }

        public string CaseDir { get; }

        public string OutDir { get; }

        public int Exit { get; } = -1;

        public string Stdout { get; } = string.Empty;

        public string Stderr { get; } = string.Empty;

        public JsonElement Summary()
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir, "summary.json")));
            return doc.RootElement.Clone();
        }
    }
}
