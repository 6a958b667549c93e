using System.Text.Json;

namespace MeTAI.Cli.Tests.Commands.Planning;

/// <summary><c>metai plan --uncertainty PCT</c>: the final dose runs in rounds to a target σ and the report says what it reached.</summary>
public class PlanUncertaintyTests
{
    [Fact]
    public void Plan_UncertaintyInThePtv_ReachedAndReported()
    {
        string dir = CliRunner.TempDir("plan-unc");
        (int code, string stdout, string stderr) = CliRunner.Run("plan", "--case", "prostate", "--voxel", "10", "--beams", "3",
            "--beamlet-histories", "300", "--uncertainty", "4", "--uncertainty-roi", "PTV", "--max-histories", "20000000", "--device", "cpu", "--out", dir);
        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("final dose target σ ≤ 4 % over PTV: reached", stdout, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        JsonElement f = doc.RootElement.GetProperty("finalDose");
        Assert.Equal("target reached", f.GetProperty("stop").GetString());
        Assert.True(f.GetProperty("stoppingUpperBound").GetDouble() <= 0.04);
        Assert.Equal("PTV", f.GetProperty("uncertaintyTarget").GetProperty("roi").GetString());
        Assert.InRange(f.GetProperty("histories").GetInt64(), 2_000_000, 20_100_000);

        // Denoising stays honest: σ per ROI raw and as exported, and the goals that flip between the raw and the
        // exported dose — here recomputed from the two goal lists of the same report.
        JsonElement root = doc.RootElement, dn = root.GetProperty("denoising");
        Assert.True(dn.GetProperty("denoised").GetBoolean());
        JsonElement ptv = dn.GetProperty("sigmaPerStructure").EnumerateArray().Single(x => x.GetProperty("structure").GetString() == "PTV");
        Assert.InRange(ptv.GetProperty("raw").GetDouble(), 1e-4, 0.04 * 1.5);
        Assert.True(ptv.GetProperty("exported").GetDouble() <= ptv.GetProperty("raw").GetDouble() + 1e-9);
        JsonElement[] goals = [.. root.GetProperty("goals").EnumerateArray()], raw = [.. root.GetProperty("rawDoseGoals").EnumerateArray()];
        int flips = goals.Zip(raw).Count(p => p.First.GetProperty("passed").GetBoolean() != p.Second.GetProperty("passed").GetBoolean());
        Assert.Equal(flips, dn.GetProperty("goalsFlipped").GetArrayLength());
        Assert.Contains("σ per ROI, raw → denoised (goals judged on the denoised, exported dose): ", stdout, StringComparison.Ordinal);
        Assert.Contains("goals that flip between raw and denoised: " + (flips == 0 ? "none" : string.Empty), stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--uncertainty", "1", "--final-histories", "100000" }, "--final-histories and --uncertainty exclude each other")]
    [InlineData(new[] { "--final-histories", "100000", "--uncertainty-roi", "PTV" }, "needs a final-dose uncertainty target")]
    [InlineData(new[] { "--uncertainty", "0" }, "Final-dose uncertainty target 0 %")]
    [InlineData(new[] { "--uncertainty", "1", "--uncertainty-roi", "Nope" }, "has no structure 'Nope'")]
    public void Plan_BadUncertaintyOption_FailsWithClearError(string[] extra, string expected)
    {
        string[] args = ["plan", "--case", "prostate", "--voxel", "20", "--beams", "3", "--beamlet-histories", "100", "--device", "cpu", "--out", CliRunner.TempDir("plan-unc-bad"), .. extra];
        (int code, _, string stderr) = CliRunner.Run(args);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }
}
