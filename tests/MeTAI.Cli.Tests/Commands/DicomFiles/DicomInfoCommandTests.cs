using System.Text.Json;
using MeTAI.TestUtilities;

namespace MeTAI.Cli.Tests.Commands.DicomFiles;

public class DicomInfoCommandTests
{
    private static string Pydicom(string name) => Path.Combine(CliRunner.PydicomTestFiles, name);

    [Fact]
    public void Info_PydicomRtPlan_JsonHasBeamsAndFractions()
    {
        JsonElement info = CliRunner.Json("dicom", "info", Pydicom("rtplan.dcm"), "--json");

        Assert.Equal("RTPLAN", info.GetProperty("modality").GetString());
        Assert.Equal("1.2.840.10008.5.1.4.1.1.481.5", info.GetProperty("sopClassUid").GetString());
        Assert.Equal(Pydicom("rtplan.dcm"), info.GetProperty("file").GetString());
        Assert.Equal(30, info.GetProperty("fractions").GetInt32());
        JsonElement beam = Assert.Single(info.GetProperty("beams").EnumerateArray());
        Assert.Equal(1, beam.GetProperty("number").GetInt32());
        Assert.Equal("Field 1", beam.GetProperty("name").GetString());
        Assert.Equal("PHOTON", beam.GetProperty("radiationType").GetString());
        Assert.Equal(6.0, beam.GetProperty("energyMV").GetDouble());
        Assert.Equal(0.0, beam.GetProperty("gantryDeg").GetDouble());
        Assert.Equal(116.0, beam.GetProperty("mu").GetDouble(), 0.01);
    }

    [Fact]
    public void Info_PydicomRtStruct_JsonHasRois()
    {
        JsonElement info = CliRunner.Json("dicom", "info", Pydicom("rtstruct.dcm"), "--json");

        Assert.Equal("RTSTRUCT", info.GetProperty("modality").GetString());
        var rois = info.GetProperty("rois").EnumerateArray().ToList();
        Assert.Equal(["patient", "Isocenter 1", "Isocenter 2"], rois.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(["EXTERNAL", "ISOCENTER", "ISOCENTER"], rois.Select(r => r.GetProperty("type").GetString()));
        Assert.Equal([1, 2, 3], rois.Select(r => r.GetProperty("number").GetInt32()));
        Assert.Equal([3, 1, 1], rois.Select(r => r.GetProperty("contours").GetInt32()));
    }

    [Theory]
    [InlineData("rtdose.dcm")]
    [InlineData("rtdose_rle.dcm")]
    [InlineData("rtdose_expb.dcm")]
    public void Info_PydicomRtDose_JsonHasGridAndMaxDose(string name)
    {
        JsonElement info = CliRunner.Json("dicom", "info", Pydicom(name), "--json");

        Assert.Equal("RTDOSE", info.GetProperty("modality").GetString());
        Assert.Equal([10, 10, 15], info.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([10.0, 10.0, 5.0], info.GetProperty("spacingMm").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("RELATIVE", info.GetProperty("doseUnits").GetString());
        Assert.Equal(1.254, info.GetProperty("maxDose").GetDouble());
    }

    [Fact]
    public void Info_CtDirectory_JsonHasSeriesGeometryAndHuRange()
    {
        string dir = CliRunner.TempDir("info-ct");
        Assert.Equal(0, CliRunner.Run("phantom", "water", "--voxel", "10", "--out", dir).ExitCode);

        JsonElement info = CliRunner.Json("dicom", "info", Path.Combine(dir, "ct"), "--json");

        Assert.Equal("CT", info.GetProperty("modality").GetString());
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", info.GetProperty("sopClassUid").GetString());
        Assert.Equal(30, info.GetProperty("slices").GetInt32());
        Assert.Equal([30, 30, 30], info.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Equal([10.0, 10.0, 10.0], info.GetProperty("spacingMm").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([-145.0, -145.0, -145.0], info.GetProperty("originLps").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(0, info.GetProperty("huMin").GetInt32());
        Assert.Equal(0, info.GetProperty("huMax").GetInt32());
    }

    [Fact]
    public void Info_WithoutJson_PrintsReadableSummary()
    {
        (int code, string stdout, _) = CliRunner.Run("dicom", "info", Pydicom("rtplan.dcm"));

        Assert.Equal(0, code);
        Assert.Contains("modality: RTPLAN", stdout, StringComparison.Ordinal);
        Assert.Contains("beams: 1", stdout, StringComparison.Ordinal);
        Assert.Contains("energyMV 6", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Info_OtherModality_JsonHasCommonFields()
    {
        JsonElement info = CliRunner.Json("dicom", "info", Pydicom("MR_small.dcm"), "--json");

        Assert.Equal("MR", info.GetProperty("modality").GetString());
        Assert.Equal("1.2.840.10008.5.1.4.1.1.4", info.GetProperty("sopClassUid").GetString());
    }

    [Theory]
    [InlineData("/no/such/file.dcm", "no such file")]
    [InlineData("/etc/hostname", "/etc/hostname")]
    public void Info_BadInput_OneLineErrorExit1(string path, string expected)
    {
        (int code, string stdout, string stderr) = CliRunner.Run("dicom", "info", path, "--json");

        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.StartsWith("metai: ", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Info_BrokenCtSeries_ErrorNamesFileAndField()
    {
        string dir = CliRunner.TempDir("info-broken");
        Assert.Equal(0, CliRunner.Run("phantom", "water", "--voxel", "20", "--out", dir).ExitCode);
        File.Delete(Path.Combine(dir, "ct", "CT.5.dcm"));

        (int code, _, string stderr) = CliRunner.Run("dicom", "info", Path.Combine(dir, "ct"));

        Assert.Equal(1, code);
        Assert.Contains("CT.6.dcm", stderr, StringComparison.Ordinal);
        Assert.Contains("ImagePositionPatient", stderr, StringComparison.Ordinal);
    }

    [ToolFact("dcmmkdir", "pydicom")]
    public void Info_Dicomdir_ListsPatientStudySeriesAndTheCaseItWouldLoad()
    {
        string dir = CliRunner.TempDir("info-media-src");
        Assert.Equal(0, CliRunner.Run("phantom", "prostate", "--voxel", "10", "--out", dir).ExitCode);
        string media = CliRunner.TempDir("info-media");
        DicomExports.DcmtkMedia(media, dir);

        JsonElement info = CliRunner.Json("dicom", "info", Path.Combine(media, "DICOMDIR"), "--json");
        Assert.Equal(["DICOMDIR"], info.GetProperty("dicomdir").EnumerateArray().Select(e => e.GetString()));
        JsonElement study = Assert.Single(Assert.Single(info.GetProperty("patients").EnumerateArray()).GetProperty("studies").EnumerateArray());
        List<JsonElement> series = [.. study.GetProperty("series").EnumerateArray()];
        Assert.Equal(["CT", "RTSTRUCT"], series.Select(s => s.GetProperty("modality").GetString()));
        Assert.Equal(20, series[0].GetProperty("instances").GetInt32());
        Assert.Equal("CT Image Storage", series[0].GetProperty("sopClasses")[0].GetString());
        string ss = series[1].GetProperty("objects")[0].GetProperty("sopInstanceUid").GetString()!;
        Assert.Equal(ss, info.GetProperty("case").GetProperty("structureSetUid").GetString());
        Assert.Equal(series[0].GetProperty("seriesInstanceUid").GetString(), info.GetProperty("case").GetProperty("ctSeriesUid").GetString());

        (int code, string stdout, _) = CliRunner.Run("dicom", "info", media);
        Assert.Equal(0, code);
        Assert.Contains("21 DICOM objects in 2 series, found through DICOMDIR", stdout, StringComparison.Ordinal);
        Assert.Contains("case: CT series ", stdout, StringComparison.Ordinal);
    }
}
