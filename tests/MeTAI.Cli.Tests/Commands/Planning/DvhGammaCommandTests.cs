using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
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

        RtDoseWriter.Write(new RtDose { Dose = dose, DoseSummationType = "PHYSICAL", FrameOfReferenceUid = study.Ct.FrameOfReferenceUid }, Path.Combine(dir, "rtdose.dcm"));
        return dir;
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
    }

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
