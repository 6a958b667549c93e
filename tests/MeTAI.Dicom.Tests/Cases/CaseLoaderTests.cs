using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Cases;

/// <summary>The one patient-case loader: a built-in phantom by name, or a case directory (ct/ + rtstruct.dcm).</summary>
public class CaseLoaderTests
{
    [Fact]
    public void Load_PhantomName_CtRoisTypesColoursAndLandmarks()
    {
        PatientCase c = CaseLoader.Load("liver-needle", 5);
        Phantom phantom = PhantomLibrary.Build("liver-needle", 5);
        Assert.Equal("liver-needle", c.Name);
        Assert.NotNull(c.Phantom);
        Assert.Null(c.Study);
        Assert.Equal(phantom.CtHu.Data, c.CtHu.Data);
        Assert.Equal(phantom.Structures.Select(s => s.Name), c.Masks.Select(m => m.Name));
        Assert.Equal(phantom.Structures.Select(s => RtPhantom.InterpretedType(s.Kind)), c.Rois.Select(r => r.InterpretedType));
        Assert.Equal(phantom.Structures.Select(s => s.Color), c.Rois.Select(r => r.Color));
        Assert.Equal(phantom.LandmarksLps["DefaultEntry"], c.LandmarksLps["DefaultEntry"]);
        Assert.Equal(phantom.Structures.Single(s => s.Name == "Tumor").Mask.Voxels, c.Mask("Tumor").Voxels);
    }

    [Fact]
    public void Load_CaseDirectory_ReadsTheCtAndEveryRoiOnItsGrid()
    {
        Phantom phantom = PhantomLibrary.Build("prostate", 10);
        string dir = Path.Combine(RtTestData.TempDir("case"), "patient-7");
        RtStudy written = RtPhantom.Write(phantom, dir);

        PatientCase c = CaseLoader.Load(dir, 5);
        Assert.Equal("patient-7", c.Name);
        Assert.Null(c.Phantom);
        Assert.NotNull(c.Study);
        Assert.Empty(c.LandmarksLps);
        Assert.Equal(written.Ct.SeriesInstanceUid, c.Ct.SeriesInstanceUid);
        Assert.True(c.Ct.Geometry.SameAs(phantom.Geometry));
        Assert.Equal(phantom.CtHu.Data, c.CtHu.Data);
        foreach (PhantomStructure s in phantom.Structures)
        {
            RtRoiMask roi = c.Rois.Single(r => r.Mask.Name == s.Name);
            Assert.Equal(RtPhantom.InterpretedType(s.Kind), roi.InterpretedType);
            Assert.Equal(s.Color, roi.Color);
            Assert.True(roi.Mask.Geometry.SameAs(c.Ct.Geometry));
            Assert.Equal(s.Mask.Voxels, roi.Mask.Voxels);
        }
    }

    [Fact]
    public void Load_DirectoryWithoutRtstruct_SaysWhatACaseDirectoryHolds()
    {
        string dir = RtTestData.TempDir("case-no-ss");
        CtSeriesWriter.Write(RtTestData.Ct(), Path.Combine(dir, RtStudyWriter.CtDirectory));
        var ex = Assert.Throws<FileNotFoundException>(() => CaseLoader.Load(dir, 5));
        Assert.Contains("no RT Structure Set found (a case needs a CT series and an RTSTRUCT: ct/ + rtstruct.dcm, an export folder or a DICOMDIR)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CT Image Storage", ex.Message, StringComparison.Ordinal); // what was found
    }

    [Fact]
    public void Load_MissingDirectory_NamesIt()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => CaseLoader.Load("/nonexistent/case", 5));
        Assert.Contains("/nonexistent/case does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownPhantom_ListsThePhantoms()
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => CaseLoader.Load("lung", 5));
        Assert.Contains("prostate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_UnknownRoi_ListsTheRois()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => CaseLoader.Load("prostate", 10).Mask("Lung"));
        Assert.Contains("'Rectum'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCt_CaseDirectoryOrTheSlicesThemselves()
    {
        Phantom phantom = PhantomLibrary.Build("water", 20);
        string dir = RtTestData.TempDir("case-ct");
        RtPhantom.Write(phantom, dir);

        (CtSeries ct, string ctDir) = CaseLoader.ReadCt(dir);
        Assert.Equal(Path.Combine(dir, RtStudyWriter.CtDirectory), ctDir);
        Assert.Equal(phantom.CtHu.Data, ct.Hu.Data);
        (CtSeries again, string sliceDir) = CaseLoader.ReadCt(ctDir);
        Assert.Equal(ctDir, sliceDir);
        Assert.True(again.Geometry.SameAs(ct.Geometry));
    }
}
