using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary><c>metai dose --uncertainty PCT</c>: runs in batches to a target σ and reports what it reached.</summary>
public class DoseUncertaintyTests
{
    [Fact]
    public void Dose_Uncertainty_StopsAtTheTargetAndReportsItInJson()
    {
        string dir = CliRunner.TempDir("dose-unc");
        (int code, string stdout, string stderr) = CliRunner.Run("dose", "--phantom", "water", "--field", "10x10", "--voxel", "10", "--device", "cpu",
            "--uncertainty", "8", "--max-histories", "3000000", "--json", "--out", dir);
        Assert.True(code == 0, stderr + stdout);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        JsonElement s = doc.RootElement;
        Assert.Equal("target reached", s.GetProperty("stop").GetString());
        Assert.Equal(8, s.GetProperty("uncertaintyTarget").GetProperty("percent").GetDouble(), 9);
        Assert.True(s.GetProperty("batches").GetInt32() >= 10);
        Assert.True(s.GetProperty("stoppingUpperBound").GetDouble() <= 0.08);
        long histories = s.GetProperty("histories").GetInt64();
        Assert.InRange(histories, 300_000, 2_999_999);
        // The written summary is what was printed, and the RT Dose beside it is the run's.
        Assert.Equal(stdout.Trim(), File.ReadAllText(Path.Combine(dir, "summary.json")).Trim());
        Assert.True(s.GetProperty("meanRelUncertaintyAbove50").GetDouble() <= 0.08);
        RtStudy study = RtStudyReader.Read(dir);
        Assert.Equal("GY", study.Dose!.DoseUnits);
    }

    [Fact]
    public void Dose_UncertaintyCap_SaysTheTargetWasNotReached()
    {
        string dir = CliRunner.TempDir("dose-unc-cap");
        (int code, string stdout, string stderr) = CliRunner.Run("dose", "--phantom", "slab-lung", "--voxel", "20", "--device", "cpu",
            "--uncertainty", "0.5", "--uncertainty-roi", "LungSlab", "--max-histories", "100000", "--out", dir);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("target σ ≤ 0.5 % over LungSlab: NOT reached (history cap)", stdout, StringComparison.Ordinal);
        Assert.Contains("100,000 histories", stdout, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal("history cap", doc.RootElement.GetProperty("stop").GetString());
        Assert.Equal("LungSlab", doc.RootElement.GetProperty("uncertaintyTarget").GetProperty("roi").GetString());
        Assert.Equal(100_000, doc.RootElement.GetProperty("histories").GetInt64());
    }

    [Theory]
    [InlineData(new[] { "--uncertainty", "1", "--histories", "1000" }, "--histories and --uncertainty exclude each other")]
    [InlineData(new[] { "--uncertainty-roi", "External" }, "--uncertainty-roi needs --uncertainty")]
    [InlineData(new[] { "--uncertainty", "1", "--uncertainty-roi", "PTV" }, "has no structure 'PTV'")]
    [InlineData(new[] { "--uncertainty", "0" }, "--uncertainty 0")]
    [InlineData(new[] { "--uncertainty", "1", "--max-histories", "10" }, "--max-histories 10")]
    public void Dose_BadUncertaintyOption_FailsWithClearError(string[] extra, string expected)
    {
        string[] args = ["dose", "--phantom", "water", "--voxel", "20", "--out", CliRunner.TempDir("dose-unc-bad"), .. extra];
        (int code, _, string stderr) = CliRunner.Run(args);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Dose_PlanModeUncertaintyRoi_Refused()
    {
        (int code, _, string stderr) = CliRunner.Run("dose", "--ct", CliRunner.TempDir("unc-ct"), "--plan", "rtplan.dcm", "--uncertainty", "1", "--uncertainty-roi", "PTV", "--out", CliRunner.TempDir("unc-pm"));
        Assert.Equal(1, code);
        Assert.Contains("--uncertainty-roi is not supported in plan mode", stderr, StringComparison.Ordinal);
    }
}
