using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>The second check as the service or the CLI (<c>metai dose --plan</c>, checked in MeTAI.Cli.Tests) calls it.</summary>
public class SecondCheckRunTests
{
    // pydicom's plan is of another patient and frame of reference than our water phantom: phantom work.
    private static readonly CaseLoadOptions Phantom = new() { AllowInconsistent = true };

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
        SecondCheckResult r = SecondCheckRun.Run(new SecondCheckRequest(WaterCase(10), PydicomPlan, "ssd", 1, 20_000, DeviceKind.Cpu, 1, false, outDir) { Inputs = Phantom }, log);
        Assert.Equal(1, r.Fractions);
        Assert.Equal(-48.42, r.IsocenterLps.Y, 0.2);
        Assert.Equal(116.0037, r.Segments.Sum(s => s.MonitorUnits), 3);
        Assert.True(r.DoseAtIsocenterGy > 0);
        Assert.Contains("\ndose: plan ", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: Patient ID (0010,0020)", log.ToString(), StringComparison.Ordinal);
        RtDose dose = RtDoseReader.Read(Path.Combine(outDir, "rtdose.dcm"));
        Assert.Equal(RtPlanReader.Read(PydicomPlan).SopInstanceUid, dose.ReferencedPlanUid);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.Equal(r.DoseAtIsocenterGy, summary.RootElement.GetProperty("doseAtIsocenterGy").GetDouble());
        Assert.Equal(r.InputWarnings, summary.RootElement.GetProperty("inputWarnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains(r.InputWarnings, w => w.StartsWith("Study Instance UID (0020,000D)", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_PlanOfAnotherPatientAndStudy_RefusedNamingBothWithoutTheOverride()
    {
        var ex = Assert.Throws<CaseInconsistentException>(() => SecondCheckRun.Run(new SecondCheckRequest(WaterCase(20), PydicomPlan, "ssd", 1, 10_000, DeviceKind.Cpu, 1, false, TestData.TempDir("second-check-refused"))));
        Assert.Contains($"RTPLAN {PydicomPlan} has 'id00001'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has 'METAI-WATER'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-inconsistent uses them anyway", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "External")]
    [InlineData(true, "CT outline")]
    public void Run_OpenFieldOnProstate_DoseKeptInsideTheBodyAndMaximaAgree(bool ctOnly, string body)
    {
        // The prostate phantom has air around its body: its EXTERNAL ROI is the body when rtstruct.dcm is beside the
        // CT, the CT's outline when only the slices are given.
        string dir = TestData.TempDir("second-check-prostate");
        Phantom phantom = PhantomLibrary.Build("prostate", 10);
        RtPlan field = Output.RtPlanBuilder.OpenField(100, 100, Core.Geometry.Vec3.Zero, 900, 100, "10x10", "METAI-6MV", 1000);
        RtStudy written = RtPhantom.Write(phantom, dir, field);
        string outDir = TestData.TempDir("second-check-prostate-out");

        SecondCheckResult r = SecondCheckRun.Run(new SecondCheckRequest(ctOnly ? Path.Combine(dir, "ct") : dir, Path.Combine(dir, "rtplan.dcm"), null, 2, 20_000, DeviceKind.Cpu, 1, false, outDir)
        {
            DoseToWater = true,
        });

        RtDose dose = RtDoseReader.Read(Path.Combine(outDir, "rtdose.dcm"));
        Assert.Equal(written.Plan!.SopInstanceUid, dose.ReferencedPlanUid);
        Assert.Equal(body, r.Dose.Body);
        Assert.True(r.Dose.IsDoseToWater);
        Assert.Equal("MeTAI MC second check, 2 fx, dose to water", dose.Comment);
        short[] hu = written.Ct.Hu.Data;
        for (int n = 0; n < hu.Length; n++)
        {
            Assert.True(hu[n] > -900 || dose.Dose.Data[n] == 0, $"voxel {n}: {dose.Dose.Data[n]} Gy in air");
        }

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        double reported = summary.RootElement.GetProperty("maxDoseGy").GetDouble();
        Assert.True(reported > 0);
        Assert.Equal(reported, dose.MaxDose(), reported / (0.93 * ushort.MaxValue));
        Assert.Equal(body, summary.RootElement.GetProperty("body").GetString());
    }

    [Fact]
    public void Run_IsocentreOutsideTheCt_SaysHowToPlaceIt()
    {
        var ex = Assert.Throws<ArgumentException>(() => SecondCheckRun.Run(new SecondCheckRequest(WaterCase(20), PydicomPlan, null, null, 10_000, DeviceKind.Cpu, 1, false, TestData.TempDir("second-check-out")) { Inputs = Phantom }));
        Assert.Contains("--isocenter X,Y,Z or --isocenter ssd", ex.Message, StringComparison.Ordinal);
    }
}
