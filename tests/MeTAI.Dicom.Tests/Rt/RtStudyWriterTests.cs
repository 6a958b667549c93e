using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Tests.Rt;

public class RtStudyWriterTests
{
    [Fact]
    public void Write_FullStudy_ReadBackWithConsistentReferences()
    {
        CtSeries ct = RtTestData.Ct();
        string dir = RtTestData.TempDir("study");

        RtStudy written = RtStudyWriter.Write(dir, ct, RtTestData.Masks(ct.Geometry), RtTestData.Plan(), RtTestData.Dose(ct.Geometry), RtTestData.Created);
        RtStudy read = RtStudyReader.Read(dir);

        Assert.Empty(written.CheckReferences());
        Assert.Empty(read.CheckReferences());
        Assert.True(File.Exists(Path.Combine(dir, "ct", "CT.1.dcm")));
        Assert.True(File.Exists(Path.Combine(dir, "rtstruct.dcm")));
        Assert.True(File.Exists(Path.Combine(dir, "rtplan.dcm")));
        Assert.True(File.Exists(Path.Combine(dir, "rtdose.dcm")));
        Assert.Empty(Directory.GetFileSystemEntries(dir, ".*"));
        Assert.Equal(ct.FrameOfReferenceUid, read.Plan!.FrameOfReferenceUid);
        Assert.Equal(read.StructureSet!.SopInstanceUid, read.Plan.ReferencedStructureSetUid);
        Assert.Equal(read.Plan.SopInstanceUid, read.Dose!.ReferencedPlanUid);
        Assert.Equal(ct.FrameOfReferenceUid, read.Dose.FrameOfReferenceUid);
        Assert.Equal(ct.PatientStudy.StudyInstanceUid, read.Dose.PatientStudy.StudyInstanceUid);
    }

    [Fact]
    public void Write_AgainWithFewerSlices_OldSlicesGone()
    {
        string dir = RtTestData.TempDir("study-again");
        CtSeries thin = RtTestData.Ct(4);
        RtStudyWriter.Write(dir, thin, []);
        CtSeries thick = RtTestData.Ct(8);
        RtStudyWriter.Write(dir, thick, []);

        Assert.Equal(thick.Geometry.SizeZ, Directory.GetFiles(Path.Combine(dir, "ct")).Length);
        Assert.Equal(thick.SopInstanceUids, RtStudyReader.Read(dir).Ct.SopInstanceUids);
    }

    [Fact]
    public void CheckReferences_BrokenLinks_Reported()
    {
        CtSeries ct = RtTestData.Ct(8);
        RtStudy study = RtStudyWriter.Link(ct, RtStructureSet.FromMasks(ct, RtTestData.Masks(ct.Geometry)), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));
        RtStudy broken = study with
        {
            Plan = study.Plan! with { ReferencedStructureSetUid = "1.2.3" },
            Dose = study.Dose! with { FrameOfReferenceUid = "1.2.4" },
        };

        Assert.Empty(study.CheckReferences());
        Assert.Equal(2, broken.CheckReferences().Count);
    }
}
