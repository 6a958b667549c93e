using System.Text.Json;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>The open-field run as the service or the CLI (<c>metai dose --phantom</c>, checked in MeTAI.Cli.Tests) calls it.</summary>
public class OpenFieldRunTests
{
    [Fact]
    public void Run_CoarseWater_WritesTheRtSetCurvesPictureAndSummary()
    {
        string dir = TestData.TempDir("open-field");
        var log = new StringWriter();
        DoseResult r = OpenFieldRun.Run(new OpenFieldRequest("water", 10, 10, 100, "6MV", 50_000, 20, DeviceKind.Cpu, 3, 100, false, dir), log);
        Assert.StartsWith("dose: water (15×15×15 voxels of 20 mm), ", log.ToString(), StringComparison.Ordinal);
        Assert.Equal(50_000, r.Histories);
        foreach (string f in new[] { "rtdose.dcm", "rtplan.dcm", "rtstruct.dcm", "pdd.csv", "profile.csv", "dose.png", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} missing");
        }

        RtStudy study = RtStudyReader.Read(dir);
        Assert.Empty(study.CheckReferences());
        RtPlan plan = study.Plan!;
        Assert.Equal("OPEN FIELD", plan.Label);
        Assert.Equal(100, plan.MetersetMu(1)!.Value, 6);
        Assert.Equal([-50.0, 50.0], plan.Beams[0].ControlPoints[0].DevicePositions[0].PositionsMm);
        Assert.Equal(1000, plan.Beams[0].ControlPoints[0].SourceToSurfaceDistanceMm!.Value, 6);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(50_000, summary.RootElement.GetProperty("histories").GetInt64());
        Assert.Equal("water", summary.RootElement.GetProperty("phantom").GetString());

        // The dose is kept inside the phantom's EXTERNAL ROI, and the summary's maximum is the file's (to one pixel step).
        Assert.Equal("External", summary.RootElement.GetProperty("body").GetString());
        double step = study.Dose!.MaxDose() / (0.93 * ushort.MaxValue);
        Assert.Equal(r.MaxDose, study.Dose.MaxDose(), step);
        Assert.Equal(r.MaxDose, summary.RootElement.GetProperty("maxDose").GetDouble(), 9);
        Assert.Equal("MeTAI MC open field, dose to medium", study.Dose.Comment);
    }

    [Fact]
    public void Run_NotADosePhantom_SaysWhichAre()
    {
        var ex = Assert.Throws<ArgumentException>(() => OpenFieldRun.Run(new OpenFieldRequest("prostate", 10, 10, 100, "6MV", 1000, 20, DeviceKind.Cpu, 1, 100, false, TestData.TempDir("open-field-bad"))));
        Assert.Contains("not a dose phantom; use water, slab-lung or slab-bone", ex.Message, StringComparison.Ordinal);
    }
}
