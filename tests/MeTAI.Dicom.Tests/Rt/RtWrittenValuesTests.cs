using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Tests.Rt;

/// <summary>
/// Every text value the RT writers put in a file fits its VR (PS3.5 Table 6.2-1), or the write is refused naming the
/// tag and the value: never truncated (dciodvfy checks the files the writers do write).
/// </summary>
public class RtWrittenValuesTests
{
    [Fact]
    public void DoseComment_OverSixtyFourCharacters_RefusedNamingTheTag()
    {
        CtSeries ct = RtTestData.Ct();
        RtDose dose = RtTestData.Dose(ct.Geometry) with { Comment = new string('x', 65) };

        var ex = Assert.Throws<ArgumentException>(() => RtDoseWriter.ToDataset(dose));

        Assert.Contains("(3004,0006)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DoseComment", ex.Message, StringComparison.Ordinal);
        Assert.Contains("65 characters; LO allows 64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DoseComment_SixtyFourCharacters_Written()
    {
        CtSeries ct = RtTestData.Ct();
        RtDose dose = RtTestData.Dose(ct.Geometry) with { Comment = new string('x', 64) };

        Assert.Equal(new string('x', 64), RtDoseWriter.ToDataset(dose).GetString(DicomTags.DoseComment));
    }

    [Fact]
    public void CodeString_LowerCase_Refused()
    {
        CtSeries ct = RtTestData.Ct();
        RtDose dose = RtTestData.Dose(ct.Geometry) with { DoseType = "physical" };

        var ex = Assert.Throws<ArgumentException>(() => RtDoseWriter.ToDataset(dose));

        Assert.Contains("(3004,0004)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("U+0070, which CS does not allow", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PatientName_ComponentGroupOverSixtyFour_RefusedInEveryObject()
    {
        CtSeries ct = RtTestData.Ct();
        RtPatientStudy study = ct.PatientStudy with { PatientName = new string('A', 65) + "^B" };

        var ex = Assert.Throws<ArgumentException>(() => RtStudyWriter.Write(RtTestData.TempDir("long-name"), new CtSeries(ct.Hu, study, ct.SeriesInstanceUid, ct.FrameOfReferenceUid, ct.SopInstanceUids), []));

        Assert.Contains("(0010,0010)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PN allows 64", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SH", "SIXTEEN-CHARS-OK", true)]
    [InlineData("SH", "SEVENTEEN-CHARS-X", false)]
    [InlineData("CS", "DOSE_TO_WATER 2", true)]
    [InlineData("CS", "dose", false)]
    [InlineData("LO", "line\nbreak", false)]
    [InlineData("ST", "line\nbreak", true)]
    [InlineData("IS", "-12", true)]
    [InlineData("IS", "1.5", false)]
    [InlineData("DS", "-1.25E-3", true)]
    [InlineData("DA", "2024-01-01", false)]
    [InlineData("PN", "Doe^Jane=ドウ^ジェーン", true)]
    public void Problem_ValueAgainstItsVr(string vr, string value, bool fits)
    {
        Assert.Equal(fits, RtValueCheck.Problem(DicomVR.Parse(vr), value) is null);
    }
}
