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
        RtStudy written = RtStudyWriter.Write(dir, thick, []);

        Assert.Equal(thick.Geometry.SizeZ, Directory.GetFiles(Path.Combine(dir, "ct")).Length);
        Assert.Equal(written.Ct.SopInstanceUids, RtStudyReader.Read(dir).Ct.SopInstanceUids);
    }

    [Fact]
    public void Write_Ct_IsANewSeriesInTheSameStudyAndFrame()
    {
        CtSeries ct = RtTestData.Ct(8);
        RtStudy written = RtStudyWriter.Write(RtTestData.TempDir("study-uids"), ct, RtTestData.Masks(ct.Geometry), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));

        Assert.NotEqual(ct.SeriesInstanceUid, written.Ct.SeriesInstanceUid);
        Assert.Empty(written.Ct.SopInstanceUids.Intersect(ct.SopInstanceUids));
        Assert.Equal(ct.SopInstanceUids.Count, written.Ct.SopInstanceUids.Distinct().Count());
        Assert.Equal(ct.FrameOfReferenceUid, written.Ct.FrameOfReferenceUid);
        Assert.Equal(ct.PatientStudy, written.Ct.PatientStudy);
        Assert.Equal(written.Ct.SopInstanceUids, written.StructureSet!.ReferencedImageUids);
        Assert.Equal(written.Ct.SeriesInstanceUid, written.StructureSet.ReferencedSeriesUid);
        Assert.All(written.StructureSet.Rois.SelectMany(r => r.Contours), c => Assert.Contains(c.ReferencedImageUids[0], written.Ct.SopInstanceUids));
        Assert.Empty(written.CheckReferences());
    }

    [Fact]
    public void Write_ReadCaseWrittenAgain_SharesNoInstanceUidWithTheFirst()
    {
        CtSeries ct = RtTestData.Ct(8);
        string first = RtTestData.TempDir("study-first"), second = RtTestData.TempDir("study-second");
        RtStudyWriter.Write(first, ct, RtTestData.Masks(ct.Geometry), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));
        RtStudy read = RtStudyReader.Read(first);

        RtStudy again = RtStudyWriter.Write(second, read.Ct, RtTestData.Masks(read.Ct.Geometry), read.Plan, read.Dose);

        static string[] Uids(string dir) => [.. Directory.GetFiles(dir, "*.dcm", SearchOption.AllDirectories).Select(f => DicomFile.Open(f).Dataset.GetString(DicomTags.SOPInstanceUID)!)];
        string[] a = Uids(first), b = Uids(second);
        Assert.Equal(a.Length, a.Distinct().Count());
        Assert.Empty(a.Intersect(b));
        Assert.NotEqual(read.Plan!.SopInstanceUid, again.Plan!.SopInstanceUid);
        Assert.Equal(again.Plan.SopInstanceUid, again.Dose!.ReferencedPlanUid);
        Assert.Equal(again.StructureSet!.SopInstanceUid, again.Plan.ReferencedStructureSetUid);
        Assert.Empty(RtStudyReader.Read(second).CheckReferences());
    }

    [Fact]
    public void Link_PlanAlreadyConsistent_KeepsItsUid()
    {
        CtSeries ct = RtTestData.Ct(8);
        RtStudy linked = RtStudyWriter.Link(ct, RtStructureSet.FromMasks(ct, RtTestData.Masks(ct.Geometry)), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));

        RtStudy again = RtStudyWriter.Link(ct, linked.StructureSet, linked.Plan, linked.Dose);

        Assert.Equal(linked.Plan!.SopInstanceUid, again.Plan!.SopInstanceUid);
        Assert.Equal(linked.Dose!.SopInstanceUid, again.Dose!.SopInstanceUid);
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
