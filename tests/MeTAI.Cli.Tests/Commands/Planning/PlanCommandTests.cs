using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Cli.Tests.Commands.Planning;

public class PlanCommandTests
{
    [Fact]
    public void Plan_QuickProstate_WritesEveryFileAndTheReportContract()
    {
        // A coarse, low-statistics run of the whole path (the full-quality plans are in MeTAI.Planner.Tests).
        string dir = CliRunner.TempDir("plan");
        (int code, string stdout, string stderr) = CliRunner.Run("plan", "--case", "prostate", "--voxel", "10", "--beams", "3",
            "--beamlet-histories", "300", "--final-histories", "200000", "--device", "cpu", "--out", dir);
        Assert.True(code == 0, stderr + stdout);
        foreach (string f in new[] { "rtstruct.dcm", "rtplan.dcm", "rtdose.dcm", "dvh.png", "dose_axial.png", "report.json" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} missing");
        }

        RtStudy study = RtStudyReader.Read(dir);
        Assert.Empty(study.CheckReferences());
        Assert.Equal(3, study.Plan!.Beams.Count);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        JsonElement r = doc.RootElement;
        Assert.Equal(7, r.GetProperty("goals").GetArrayLength());
        Assert.True(r.GetProperty("metrics").GetProperty("Rectum").GetProperty("meanGy").GetDouble() > 0);
        Assert.True(r.GetProperty("timings").GetProperty("finalDoseSeconds").GetDouble() > 0);
        Assert.True(r.GetProperty("objectiveHistory").GetArrayLength() > 2);
        Assert.Contains("goals met", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownProtocolFile_ListsTheProtocols()
    {
        (int code, _, string stderr) = CliRunner.Run("plan", "--case", "prostate", "--protocol", "configs/protocols/nope.json", "--out", CliRunner.TempDir("plan-bad"));
        Assert.Equal(1, code);
        Assert.Contains("nope.json", stderr, StringComparison.Ordinal);
        Assert.Contains("tg119-cshape", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_FullBeamModel_RefusedInOneLineSayingWhy()
    {
        string dir = CliRunner.TempDir("plan-6mv");
        (int code, _, string stderr) = CliRunner.Run("plan", "--case", "prostate", "--voxel", "10", "--beam-model", "6MV", "--out", dir);
        Assert.Equal(1, code);
        Assert.StartsWith("metai: --beam-model '6MV' (", stderr.Trim(), StringComparison.Ordinal);
        Assert.Contains("jaws and MLC attenuate is refused", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", stderr.Trim(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "rtplan.dcm")));
    }

    [Fact]
    public void Plan_ProtocolNamingAMissingStructure_ListsTheCaseStructures()
    {
        string dir = CliRunner.TempDir("plan-struct");
        string protocol = Path.Combine(dir, "p.json");
        File.WriteAllText(protocol, """
            { "prescription": { "target": "PTV", "doseGy": 60, "fractions": 30 },
              "objectives": [ { "structure": "PTV", "type": "squaredDeviation", "doseGy": 60, "weight": 1 },
                              { "structure": "SpinalCord", "type": "maxDose", "doseGy": 45, "weight": 1 } ] }
            """);
        (int code, _, string stderr) = CliRunner.Run("plan", "--case", "tg119-cshape", "--voxel", "10", "--protocol", protocol, "--out", dir);
        Assert.Equal(1, code);
        Assert.Contains("SpinalCord", stderr, StringComparison.Ordinal);
        Assert.Contains("Core", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownCase_ListsThePhantoms()
    {
        (int code, _, string stderr) = CliRunner.Run("plan", "--case", "lung", "--out", CliRunner.TempDir("plan-case"));
        Assert.Equal(1, code);
        Assert.Contains("prostate", stderr, StringComparison.Ordinal);
    }
}
