using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Cli.Tests.Commands.Planning;

public class DoseCommandTests
{
    [Fact]
    public void Dose_WaterPhantom_WritesEveryContractFile()
    {
        string dir = CliRunner.TempDir("dose");
        (int code, string stdout, string stderr) = CliRunner.Run("dose", "--phantom", "water", "--field", "10x10", "--ssd", "100", "--beam", "6MV",
            "--histories", "300000", "--voxel", "10", "--device", "cpu", "--seed", "7", "--out", dir);
        Assert.True(code == 0, stderr + stdout);

        foreach (string f in new[] { "rtdose.dcm", "rtplan.dcm", "rtstruct.dcm", "pdd.csv", "profile.csv", "dose.png", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} missing");
        }

        Assert.True(Directory.GetFiles(Path.Combine(dir, "ct"), "*.dcm").Length == 30);

        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        JsonElement s = doc.RootElement;
        Assert.Equal(300000, s.GetProperty("histories").GetInt64());
        Assert.True(s.GetProperty("seconds").GetDouble() > 0);
        Assert.True(s.GetProperty("historiesPerSecond").GetDouble() > 0);
        double sigma = s.GetProperty("meanRelUncertaintyAbove50").GetDouble();
        Assert.InRange(sigma, 1e-4, 0.5);
        Assert.True(s.GetProperty("efficiency").GetDouble() > 0);
        Assert.StartsWith("CPU", s.GetProperty("device").GetString(), StringComparison.Ordinal);
        // 6 MV, 10 mm voxels: the maximum lies in the first few centimetres.
        Assert.InRange(s.GetProperty("dmaxMm").GetDouble(), 5, 40);
        JsonElement[] pdd = [.. s.GetProperty("pdd").EnumerateArray()];
        Assert.True(pdd.Length > 20);
        // Percent of the curve's maximum (a fit through the peak), so the highest sample is at or just under 100.
        Assert.InRange(pdd.Max(p => p.GetProperty("percent").GetDouble()), 95, 100.5);
        double at20cm = pdd.MinBy(p => Math.Abs(p.GetProperty("depthMm").GetDouble() - 200)).GetProperty("percent").GetDouble();
        Assert.InRange(at20cm, 25, 55);

        // The dose is a real RT Dose in Gy on the CT grid, referencing the plan written beside it.
        RtStudy study = RtStudyReader.Read(dir);
        Assert.Empty(study.CheckReferences());
        Assert.Equal("GY", study.Dose!.DoseUnits);
        Assert.True(study.Dose.Dose.Geometry.SameAs(study.Ct.Geometry));
        Assert.Equal(100, study.Plan!.MetersetMu(1)!.Value, 6);
        Assert.True(File.ReadAllText(Path.Combine(dir, "pdd.csv")).Split('\n').Length > 20);
    }

    [Theory]
    [InlineData("--field", "10by10", "--field")]
    [InlineData("--phantom", "prostate", "not a dose phantom")]
    [InlineData("--beam", "18MV", "--beam")]
    [InlineData("--device", "tpu", "tpu")]
    public void Dose_BadOption_FailsWithClearError(string option, string value, string expected)
    {
        var args = new List<string> { "dose", "--phantom", "water", "--histories", "1000", "--voxel", "20", "--out", CliRunner.TempDir("dose-bad") };
        int at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        (int code, _, string stderr) = CliRunner.Run([.. args]);
        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }
}

public class DosePlanModeTests
{
    private const string PydicomPlan = CliRunner.PydicomTestFiles + "/rtplan.dcm";

    /// <summary>
    /// pydicom's rtplan.dcm: one 6 MV field, 20 × 20 cm² (X and Y jaws ±100 mm), gantry 0, 116.0 MU per fraction,
    /// isocentre 101.6 mm below the surface (SSD 898.4 mm). On the water phantom with that SSD kept, our calibration
    /// (1 cGy/MU at dmax, 10 × 10, SSD 100) predicts at the isocentre: Sp(18.3 cm at dmax) 1.025 × inverse square
    /// (101.5/91.34)² 1.235 × PDD(10.16 cm; 20 × 20, SSD 89.84) 69.3 % (70.5 % at SSD 100 × Mayneord 0.983) = 0.877 cGy/MU,
    /// i.e. 1.018 Gy for 116 MU (the plan itself states a beam dose of 1.03 Gy).
    /// </summary>
    [Fact]
    public void Dose_PydicomPlanOnWater_GivesTheIsocentreDoseOf116Mu()
    {
        if (!File.Exists(PydicomPlan))
        {
            return;
        }

        string w = CliRunner.TempDir("water");
        Assert.Equal(0, CliRunner.Run("phantom", "water", "--voxel", "5", "--out", w).ExitCode);
        string outDir = CliRunner.TempDir("dose-plan");
        (int code, string stdout, string stderr) = CliRunner.Run("dose", "--ct", w, "--plan", PydicomPlan, "--isocenter", "ssd", "--fractions", "1",
            "--histories", "6000000", "--device", "cpu", "--out", outDir, "--allow-inconsistent");
        Assert.True(code == 0, stderr + stdout);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        JsonElement s = doc.RootElement;
        Assert.Equal(-48.42, s.GetProperty("isocenterLps")[1].GetDouble(), 0.2);
        JsonElement beam = s.GetProperty("beams")[0];
        Assert.Equal(116.0037, beam.GetProperty("monitorUnitsPerFraction").GetDouble(), 3);
        double iso = s.GetProperty("doseAtIsocenterGy").GetDouble();
        Assert.True(Math.Abs(iso / 1.018 - 1) < 0.05, $"isocentre dose {iso:0.000} Gy, expected 1.018 Gy ± 5 %");
        RtDose dose = RtDoseReader.Read(Path.Combine(outDir, "rtdose.dcm"));
        Assert.Equal(RtPlanReader.Read(PydicomPlan).SopInstanceUid, dose.ReferencedPlanUid);
    }

    [Fact]
    public void Dose_PlanIsocentreOutsideTheCt_SaysHowToPlaceIt()
    {
        if (!File.Exists(PydicomPlan))
        {
            return;
        }

        string w = CliRunner.TempDir("water-small");
        Assert.Equal(0, CliRunner.Run("phantom", "water", "--voxel", "20", "--out", w).ExitCode);
        (int code, _, string stderr) = CliRunner.Run("dose", "--ct", w, "--plan", PydicomPlan, "--histories", "10000", "--out", CliRunner.TempDir("dose-out"), "--allow-inconsistent");
        Assert.Equal(1, code);
        Assert.Contains("--isocenter", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dose_PlanOfAnotherPatient_RefusedNamingBothAndTheOverride()
    {
        if (!File.Exists(PydicomPlan))
        {
            return;
        }

        string w = CliRunner.TempDir("water-other");
        Assert.Equal(0, CliRunner.Run("phantom", "water", "--voxel", "20", "--out", w).ExitCode);
        (int code, _, string stderr) = CliRunner.Run("dose", "--ct", w, "--plan", PydicomPlan, "--histories", "10000", "--out", CliRunner.TempDir("dose-refused"));
        Assert.Equal(1, code);
        Assert.StartsWith("metai: The inputs do not belong together: Patient ID (0010,0020)", stderr, StringComparison.Ordinal);
        Assert.Contains("Study Instance UID (0020,000D)", stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-inconsistent", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
