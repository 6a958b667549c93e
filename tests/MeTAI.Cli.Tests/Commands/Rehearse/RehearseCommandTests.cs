using System.Text.Json;
using MeTAI.Core.Trajectories;

namespace MeTAI.Cli.Tests.Commands.Rehearse;

public sealed class RehearseCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metai-cli-rehearse-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApp.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Rehearse_LiverNeedle_WritesTheFourContractFiles()
    {
        string outDir = Path.Combine(_dir, "out");
        (int code, string stdout, string stderr) = Run("rehearse", "--case", "liver-needle", "--target", "Tumor", "--avoid", "Vessel", "--out", outDir,
            "--resolution-mm", "24", "--candidates", "4", "--speed-mm-s", "60", "--threads", "2");
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("crosses Vessel", stdout);
        foreach (string file in new[] { "trajectories.json", "corridor.json", "rehearsal.png", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(outDir, file)), $"{file} missing");
        }

        using JsonDocument trajectories = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "trajectories.json")));
        JsonElement best = trajectories.RootElement.GetProperty("candidates")[0];
        Assert.True(best.GetProperty("minClearanceMm").GetDouble() >= 5);
        Assert.Equal(3, best.GetProperty("entryLps").GetArrayLength());

        using JsonDocument corridor = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "corridor.json")));
        Assert.Equal(["points", "radiusMm", "entryLps", "targetLps"], corridor.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.True(CorridorJson.Load(Path.Combine(outDir, "corridor.json")).RadiusMm > 0);

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.True(summary.RootElement.GetProperty("tets").GetInt32() > 1000);
        Assert.True(summary.RootElement.GetProperty("stepsPerSecond").GetDouble() > 0);
    }

    [Fact]
    public void Rehearse_DicomCaseDirectory_RehearsesFromCtAndRtstruct()
    {
        // The liver-needle phantom written as DICOM, then rehearsed from the files alone (no landmarks).
        string caseDir = Path.Combine(_dir, "case");
        (int phantomCode, _, string phantomErr) = Run("phantom", "liver-needle", "--voxel", "4", "--out", caseDir);
        Assert.True(phantomCode == 0, phantomErr);

        string outDir = Path.Combine(_dir, "out-dicom");
        (int code, string stdout, string stderr) = Run("rehearse", "--case", caseDir, "--target", "Tumor", "--avoid", "Vessel", "--out", outDir,
            "--resolution-mm", "24", "--candidates", "4", "--speed-mm-s", "60", "--threads", "2");
        Assert.True(code == 0, stderr + stdout);
        using JsonDocument trajectories = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "trajectories.json")));
        Assert.True(trajectories.RootElement.GetProperty("candidates")[0].GetProperty("minClearanceMm").GetDouble() >= 5);
        Assert.True(CorridorJson.Load(Path.Combine(outDir, "corridor.json")).PointsLps.Length >= 2);
    }

    [Fact]
    public void Rehearse_DirectoryWithoutRtstruct_NamesTheMissingFile()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        (int code, _, string stderr) = Run("rehearse", "--case", empty, "--target", "Tumor", "--avoid", "Vessel", "--out", Path.Combine(_dir, "o"));
        Assert.Equal(1, code);
        Assert.Contains("rtstruct.dcm", stderr);
    }

    [Fact]
    public void Rehearse_UnknownRoi_ListsTheRois()
    {
        (int code, _, string stderr) = Run("rehearse", "--case", "liver-needle", "--target", "Spleen", "--out", Path.Combine(_dir, "o"), "--resolution-mm", "30");
        Assert.Equal(1, code);
        Assert.Contains("no ROI 'Spleen'", stderr);
        Assert.Contains("Vessel", stderr);
    }

    [Fact]
    public void Rehearse_MissingTarget_IsAUsageError()
    {
        (int code, _, _) = Run("rehearse", "--case", "liver-needle");
        Assert.NotEqual(0, code);
    }
}
