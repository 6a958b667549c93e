using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>The second check as the service or the CLI (<c>metai dose --plan</c>, checked in MeTAI.Cli.Tests) calls it.</summary>
public class SecondCheckRunTests
{
    private const string PydicomPlan = "/usr/lib/python3/dist-packages/pydicom/data/test_files/rtplan.dcm";

    private static string WaterCase(double voxelMm)
    {
        string dir = TestData.TempDir("second-check-water");
        RtPhantom.Write(PhantomLibrary.Build("water", voxelMm), dir);
        return dir;
    }

    [Fact]
    public void Run_PydicomPlanAtItsSsd_WritesADoseReferencingThePlan()
    {
        string outDir = TestData.TempDir("second-check");
        var log = new StringWriter();
        SecondCheckResult r = SecondCheckRun.Run(new SecondCheckRequest(WaterCase(10), PydicomPlan, "ssd", 1, 20_000, DeviceKind.Cpu, 1, false, outDir), log);
        Assert.Equal(1, r.Fractions);
        Assert.Equal(-48.42, r.IsocenterLps.Y, 0.2);
        Assert.Equal(116.0037, r.Segments.Sum(s => s.MonitorUnits), 3);
        Assert.True(r.DoseAtIsocenterGy > 0);
        Assert.StartsWith("dose: plan ", log.ToString(), StringComparison.Ordinal);
        RtDose dose = RtDoseReader.Read(Path.Combine(outDir, "rtdose.dcm"));
        Assert.Equal(RtPlanReader.Read(PydicomPlan).SopInstanceUid, dose.ReferencedPlanUid);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(r.DoseAtIsocenterGy, summary.RootElement.GetProperty("doseAtIsocenterGy").GetDouble());
    }

    [Fact]
    public void Run_IsocentreOutsideTheCt_SaysHowToPlaceIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => SecondCheckRun.Run(new SecondCheckRequest(WaterCase(20), PydicomPlan, null, null, 10_000, DeviceKind.Cpu, 1, false, TestData.TempDir("second-check-out"))));
        Assert.Contains("--isocenter X,Y,Z or --isocenter ssd", ex.Message, StringComparison.Ordinal);
    }
}
