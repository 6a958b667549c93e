using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Cli.Tests.Commands.Planning;

public class DvhGammaCommandTests
{
    private static string WriteCase(out Phantom phantom)
    {
        string dir = CliRunner.TempDir("dvh");
        phantom = PhantomLibrary.Build("tg119-cshape", 10);
        RtStudy study = RtPhantom.Write(phantom, dir);
        var dose = new VoxelGrid<float>(phantom.Geometry);
        for (int n = 0; n < dose.Data.Length; n++)
        {
            dose.Data[n] = phantom.Structure("PTV").Mask.Voxels[n] != 0 ? 50f : 10f;
        }

        RtDoseWriter.Write(new RtDose { Dose = dose, DoseSummationType = "PHYSICAL", FrameOfReferenceUid = study.Ct.FrameOfReferenceUid, PatientStudy = study.Ct.PatientStudy }, Path.Combine(dir, "rtdose.dcm"));
        return dir;
    }

    /// <summary>A dose of <paramref name="gy"/> on <paramref name="grid"/>, of another patient and frame of reference unless told.</summary>
    private static string WriteDose(string dir, GridGeometry grid, RtStudy? of = null, string units = "GY", float gy = 50f)
    {
        var dose = new VoxelGrid<float>(grid);
        Array.Fill(dose.Data, gy);
        string path = Path.Combine(dir, "other-dose.dcm");
        RtDoseWriter.Write(new RtDose
        {
            Dose = dose,
            DoseUnits = units,
            DoseSummationType = "PHYSICAL",
            FrameOfReferenceUid = of?.Ct.FrameOfReferenceUid ?? "1.2.826.0.1.3680043.2.1125.51",
            PatientStudy = of?.Ct.PatientStudy ?? RtPatientStudy.Create("Other^Patient", "OTHER-2"),
        }, path);
        return path;
    }

    [Fact]
    public void Dvh_Json_GivesTheMetricsOfEveryRoi()
    {
        string dir = WriteCase(out _);
        JsonElement r = CliRunner.Json("dvh", "--rtstruct", Path.Combine(dir, "rtstruct.dcm"), "--rtdose", Path.Combine(dir, "rtdose.dcm"), "--json");
        JsonElement ptv = r.GetProperty("rois").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "PTV");
        Assert.Equal(50, ptv.GetProperty("meanGy").GetDouble(), 0.1);
        Assert.Equal(50, ptv.GetProperty("D95Gy").GetDouble(), 0.1);
        Assert.True(ptv.GetProperty("volumeCc").GetDouble() > 100);
        JsonElement core = r.GetProperty("rois").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "Core");
        Assert.Equal(10, core.GetProperty("D50Gy").GetDouble(), 0.1);
        Assert.Equal(100, ptv.GetProperty("coveragePercent").GetDouble());
        Assert.Equal("Gy", r.GetProperty("doseUnits").GetString());
        Assert.Empty(r.GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public void Dvh_UnrelatedDose_RefusedNotZeros_AndWithBothFlagsWarned()
    {
        // The silent wrong answer this replaces: every volume 0.00 and exit 0.
        string dir = WriteCase(out Phantom phantom);
        string other = WriteDose(dir, GridGeometry.Centered(new Vec3(100, 100, 100), 10, new Vec3(0, 0, 1500)));
        string ss = Path.Combine(dir, "rtstruct.dcm");
        (int code, string stdout, string stderr) = CliRunner.Run("dvh", "--rtstruct", ss, "--rtdose", other, "--json");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Contains("Frame of Reference UID (0020,0052)", stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-inconsistent", stderr, StringComparison.Ordinal);

        (code, _, stderr) = CliRunner.Run("dvh", "--rtstruct", ss, "--rtdose", other, "--allow-inconsistent");
        Assert.Equal(1, code);
        Assert.Contains("ROI 'PTV' is 0.0 % inside it", stderr, StringComparison.Ordinal);
        Assert.Contains("(99 % needed", stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-partial", stderr, StringComparison.Ordinal);

        JsonElement r = CliRunner.Json("dvh", "--rtstruct", ss, "--rtdose", other, "--allow-inconsistent", "--allow-partial", "--json");
        Assert.All(r.GetProperty("rois").EnumerateArray(), e => Assert.Equal(0, e.GetProperty("coveragePercent").GetDouble()));
        Assert.Contains(r.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("Frame of Reference UID", StringComparison.Ordinal));
        Assert.Equal(phantom.Structures.Count, r.GetProperty("warnings").EnumerateArray().Count(w => w.GetString()!.Contains("the dose grid covers 0.0 %", StringComparison.Ordinal)));
    }

    [Fact]
    public void Dvh_GridOverPartOfTheRois_RefusedWithTheCoverage_OrReportedWithAllowPartial()
    {
        string dir = WriteCase(out Phantom phantom);
        GridGeometry g = phantom.Geometry;
        // The same lattice over the left half of the columns only.
        string half = WriteDose(dir, new GridGeometry(g.SizeX / 2, g.SizeY, g.SizeZ, g.SpacingMm, g.OriginLps, g.Direction), of: ReadStudy(dir));
        string ss = Path.Combine(dir, "rtstruct.dcm");
        (int code, _, string stderr) = CliRunner.Run("dvh", "--rtstruct", ss, "--rtdose", half);
        Assert.Equal(1, code);
        Assert.Contains("does not cover the ROIs", stderr, StringComparison.Ordinal);
        Assert.Matches(@"ROI 'PTV' is \d+\.\d % inside it", stderr);

        (code, string stdout, stderr) = CliRunner.Run("dvh", "--rtstruct", ss, "--rtdose", half, "--allow-partial");
        Assert.True(code == 0, stderr);
        Assert.Contains("cover_%", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: ROI 'PTV': the dose grid covers", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: ROI 'PTV': the dose grid covers", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Dvh_RelativeDose_NeverLabelledGy()
    {
        string dir = WriteCase(out Phantom phantom);
        string rel = WriteDose(dir, phantom.Geometry, of: ReadStudy(dir), units: "RELATIVE", gy: 0.95f);
        JsonElement r = CliRunner.Json("dvh", "--rtstruct", Path.Combine(dir, "rtstruct.dcm"), "--rtdose", rel, "--json", "--roi", "PTV");
        Assert.Equal("relative", r.GetProperty("doseUnits").GetString());
        JsonElement ptv = r.GetProperty("rois")[0];
        Assert.Equal(0.95, ptv.GetProperty("mean").GetDouble(), 4);
        Assert.DoesNotContain(ptv.EnumerateObject(), p => p.Name.EndsWith("Gy", StringComparison.Ordinal));

        (int code, string stdout, _) = CliRunner.Run("dvh", "--rtstruct", Path.Combine(dir, "rtstruct.dcm"), "--rtdose", rel, "--roi", "PTV");
        Assert.Equal(0, code);
        Assert.Contains("dose units RELATIVE (3004,0002)", stdout, StringComparison.Ordinal);
        Assert.Contains("mean_rel", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("_Gy", stdout, StringComparison.Ordinal);
    }

    private static RtStudy ReadStudy(string dir) => RtStudyReader.Read(dir);

    [Fact]
    public void Dvh_UnknownRoi_ListsTheRois()
    {
        string dir = WriteCase(out _);
        (int code, _, string stderr) = CliRunner.Run("dvh", "--rtstruct", Path.Combine(dir, "rtstruct.dcm"), "--rtdose", Path.Combine(dir, "rtdose.dcm"), "--roi", "Heart");
        Assert.Equal(1, code);
        Assert.Contains("Heart", stderr, StringComparison.Ordinal);
        Assert.Contains("PTV", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Gamma_SameFile_PassesEverything()
    {
        string dir = WriteCase(out _);
        string dose = Path.Combine(dir, "rtdose.dcm");
        JsonElement r = CliRunner.Json("gamma", "--reference", dose, "--evaluated", dose, "--dose", "3", "--dta", "3", "--json");
        Assert.Equal(100, r.GetProperty("passRate").GetDouble(), 9);
        JsonElement local = CliRunner.Json("gamma", "--reference", dose, "--evaluated", dose, "--local", "--json");
        Assert.True(local.GetProperty("local").GetBoolean());
        Assert.Equal(100, local.GetProperty("passRate").GetDouble(), 9);
    }
}
