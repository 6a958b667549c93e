using System.Text;
using MeTAI.Dicom.Deid;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Deid;

public class DeidentifierTests
{
    private const string Key = "test-secret";

    [Fact]
    public void Profile_TableLoaded_HasTheKnownRows()
    {
        Assert.True(ConfidentialityProfile.Rules.Count > 400);
        Assert.Equal("Z", ConfidentialityProfile.Lookup(DicomTags.PatientName)!.Basic);
        Assert.Equal("U", ConfidentialityProfile.Lookup(DicomTags.SOPInstanceUID)!.Basic);
        Assert.Equal("K", ConfidentialityProfile.Lookup(DicomTags.SOPInstanceUID)!.RetainUids);
        Assert.Equal("K", ConfidentialityProfile.Lookup(DicomTags.StudyDate)!.RetainFullDates);
        Assert.Equal("X", ConfidentialityProfile.Lookup(new DicomTag(0x6002, 0x3000))!.Basic);
        Assert.Equal("(60xx,4000)", ConfidentialityProfile.Lookup(new DicomTag(0x6000, 0x4000))!.TagText);
        Assert.Null(ConfidentialityProfile.Lookup(DicomTags.Rows));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Apply_EveryProfileAttribute_ActionApplied(bool retainDates, bool retainUids)
    {
        // A dataset holding every single-tag attribute of Table E.1-1 that the PS3.6 dictionary knows, with a value.
        var ds = new DicomDataset();
        var rules = new List<(DicomTag Tag, ProfileRule Rule)>();
        foreach (ProfileRule rule in ConfidentialityProfile.Rules.Where(r => r.Mask == 0xFFFFFFFF && r.Pattern >> 16 != 0))
        {
            var tag = DicomTag.FromValue(rule.Pattern);
            if (DicomDictionary.Lookup(tag) is not { } entry)
            {
                continue;
            }

            DicomVR vr = entry.VRs[0];
            if (vr == DicomVR.SQ)
            {
                var item = new DicomDataset();
                item.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "Nested^Name");
                ds.AddSequence(tag, [item]);
            }
            else
            {
                ds.AddOrUpdate(new DicomElement(tag, vr, SampleValue(vr)));
            }

            rules.Add((tag, rule));
        }

        var deid = new Deidentifier(new DeidentificationOptions { Key = Key, RetainDates = retainDates, RetainUids = retainUids });
        DicomDataset clean = deid.Apply(ds);

        Assert.True(rules.Count > 350, $"only {rules.Count} attributes tested");
        foreach ((DicomTag tag, ProfileRule rule) in rules)
        {
            string action = rule.Basic;
            action = retainUids && rule.RetainUids is { } u ? u : action;
            action = retainDates && rule.RetainFullDates is { } d ? d : action;
            DicomElement before = ds.GetElement(tag);
            bool present = clean.TryGetElement(tag, out DicomElement after);
            string what = $"{rule.TagText} {rule.Name} ({action})";
            if (action == "K")
            {
                Assert.True(present, what);
                Assert.True(before.Value.Span.SequenceEqual(after.Value.Span), what);
            }
            else if (action.Contains('U', StringComparison.Ordinal))
            {
                Assert.True(present, what);
                if (before is DicomSequence)
                {
                    Assert.Equal(string.Empty, ((DicomSequence)after).Items[0].GetString(DicomTags.PatientName));
                }
                else
                {
                    // With the Retain UIDs option every UID is kept, also where the option column is blank.
                    Assert.Equal(retainUids ? ds.GetString(tag) : DicomUid.FromName(Key + "|" + ds.GetString(tag)), clean.GetString(tag));
                }
            }
            else if (action.Contains('Z', StringComparison.Ordinal) || tag == DicomTags.TreatmentMachineName)
            {
                Assert.True(present, what);
                Assert.True(after is DicomSequence s ? s.Items.Count == 0 : after.Length == 0, what);
            }
            else if (action.Contains('D', StringComparison.Ordinal))
            {
                Assert.True(present, what);
                if (after is DicomSequence s)
                {
                    Assert.Equal(string.Empty, s.Items[0].GetString(DicomTags.PatientName));
                }
                else
                {
                    Assert.True(after.Length > 0, what);
                    Assert.False(before.Value.Span.SequenceEqual(after.Value.Span), what);
                }
            }
            else
            {
                Assert.False(present, what);
            }
        }

        Assert.Equal("YES", clean.GetString(DicomTags.PatientIdentityRemoved));
        Assert.Equal(retainDates ? "UNMODIFIED" : "REMOVED", clean.GetString(DicomTags.LongitudinalTemporalInformationModified));
        string[] codes = [.. clean.GetItems(DicomTags.DeidentificationMethodCodeSequence).Select(i => i.GetString(DicomTags.CodeValue)!)];
        Assert.Contains("113100", codes);
        Assert.Equal(retainDates, codes.Contains("113106"));
        Assert.Equal(retainUids, codes.Contains("113110"));
    }

    [Fact]
    public void Apply_PrivateCurvesOverlays_Removed()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME");
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1001), DicomVR.LO, Encoding.ASCII.GetBytes("secret")));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x5000, 0x3000), DicomVR.OW, new byte[4]));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x6000, 0x3000), DicomVR.OW, new byte[4]));
        ds.AddOrUpdate(new DicomTag(0x6000, 0x4000), DicomVR.LT, "drawn by Dr X");
        ds.AddOrUpdate(new DicomTag(0x6000, 0x0010), DicomVR.US, 4);
        var item = new DicomDataset();
        item.AddOrUpdate(new DicomElement(new DicomTag(0x0011, 0x1010), DicomVR.UN, new byte[2]));
        ds.AddSequence(DicomTags.ReferencedImageSequence, [item]);

        DicomDataset clean = new Deidentifier().Apply(ds);

        Assert.DoesNotContain(clean, e => e.Tag.IsPrivate);
        Assert.False(clean.Contains(new DicomTag(0x5000, 0x3000)));
        Assert.False(clean.Contains(new DicomTag(0x6000, 0x3000)));
        Assert.False(clean.Contains(new DicomTag(0x6000, 0x4000)));
        Assert.True(clean.Contains(new DicomTag(0x6000, 0x0010)));
        Assert.Empty(clean.GetItems(DicomTags.ReferencedImageSequence)[0]);
    }

    [Theory]
    [InlineData("rtplan.dcm")]
    [InlineData("rtstruct.dcm")]
    [InlineData("rtdose.dcm")]
    [InlineData("CT_small.dcm")]
    public void DeidentifyFile_PydicomFile_EveryProfileAttributeGoneOrReplaced(string name)
    {
        string input = TestFiles.Path1(name);
        string output = Path.Combine(RtTestData.TempDir("deid-file"), name);
        var deid = new Deidentifier(new DeidentificationOptions { Key = Key });

        deid.DeidentifyFile(input, output);
        DicomDataset before = DicomFile.Open(input).Dataset;
        DicomDataset after = DicomFile.Open(output).Dataset;

        int checkedCount = CheckLevel(before, after, deid, name);
        Assert.True(checkedCount >= 8, $"{name}: only {checkedCount} profile attributes present");
        Assert.Equal("YES", after.GetString(DicomTags.PatientIdentityRemoved));
        Assert.Equal(string.Empty, after.GetString(DicomTags.PatientName) ?? string.Empty);
        Assert.DoesNotContain(after, e => e.Tag.IsPrivate);
    }

    [Fact]
    public void DeidentifyDirectory_WrittenStudy_ReferencesStillResolve()
    {
        CtSeries ct = RtTestData.Ct(8);
        string input = RtTestData.TempDir("deid-in");
        RtStudy original = RtStudyWriter.Write(input, ct, RtTestData.Masks(ct.Geometry), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));
        string output = RtTestData.TempDir("deid-out");

        IReadOnlyList<string> files = new Deidentifier(new DeidentificationOptions { Key = Key }).DeidentifyDirectory(input, output);
        RtStudy anonymous = RtStudyReader.Read(output);

        Assert.Equal(ct.Geometry.SizeZ + 3, files.Count);
        Assert.Empty(anonymous.CheckReferences());
        Assert.NotEqual(original.Ct.FrameOfReferenceUid, anonymous.Ct.FrameOfReferenceUid);
        Assert.NotEqual(original.Ct.SopInstanceUids[0], anonymous.Ct.SopInstanceUids[0]);
        Assert.Equal(DicomUid.FromName(Key + "|" + original.Plan!.SopInstanceUid), anonymous.Plan!.SopInstanceUid);
        Assert.Equal(anonymous.Plan.SopInstanceUid, anonymous.Dose!.ReferencedPlanUid);
        Assert.Equal(string.Empty, anonymous.Ct.PatientStudy.PatientName);
        Assert.Equal(string.Empty, anonymous.Ct.PatientStudy.StudyDate);
        Assert.Equal(ct.Hu.Data, anonymous.Ct.Hu.Data);
        Assert.Equal(original.StructureSet!.Rois.Select(r => r.Name), anonymous.StructureSet!.Rois.Select(r => r.Name));

        // The same key maps the same way in another run; another key does not.
        var again = new Deidentifier(new DeidentificationOptions { Key = Key });
        Assert.Equal(anonymous.Ct.FrameOfReferenceUid, again.MapUid(original.Ct.FrameOfReferenceUid));
        Assert.NotEqual(anonymous.Ct.FrameOfReferenceUid, new Deidentifier(new DeidentificationOptions { Key = "other" }).MapUid(original.Ct.FrameOfReferenceUid));
    }

    [Fact]
    public void DeidentifyDirectory_RetainOptions_KeepUidsAndDates()
    {
        CtSeries ct = RtTestData.Ct(8);
        string input = RtTestData.TempDir("deid-retain-in");
        RtStudy original = RtStudyWriter.Write(input, ct, RtTestData.Masks(ct.Geometry));
        string output = RtTestData.TempDir("deid-retain-out");

        new Deidentifier(new DeidentificationOptions { RetainDates = true, RetainUids = true, PatientName = "Anon^1", PatientId = "A1" }).DeidentifyDirectory(input, output);
        RtStudy read = RtStudyReader.Read(output);

        Assert.Equal(original.Ct.SopInstanceUids, read.Ct.SopInstanceUids);
        Assert.Equal(original.Ct.FrameOfReferenceUid, read.Ct.FrameOfReferenceUid);
        Assert.Equal(original.StructureSet!.SopInstanceUid, read.StructureSet!.SopInstanceUid);
        Assert.Equal(RtTestData.Created.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), read.Ct.PatientStudy.StudyDate);
        Assert.Equal("Anon^1", read.Ct.PatientStudy.PatientName);
        Assert.Equal("A1", read.Ct.PatientStudy.PatientId);
        Assert.Equal(string.Empty, read.Ct.PatientStudy.PatientBirthDate);
        Assert.Empty(read.CheckReferences());
    }

    [Fact]
    public void DeidentifyDirectory_OutputInsideInput_Throws()
    {
        string input = RtTestData.TempDir("deid-nested");
        Assert.Throws<ArgumentException>(() => new Deidentifier().DeidentifyDirectory(input, Path.Combine(input, "out")));
    }

    private static int CheckLevel(DicomDataset before, DicomDataset after, Deidentifier deid, string where)
    {
        int n = 0;
        foreach (DicomElement e in before)
        {
            ProfileRule? rule = ConfidentialityProfile.Lookup(e.Tag);
            if (e.Tag.IsPrivate)
            {
                Assert.False(after.Contains(e.Tag), $"{where} {e.Tag}: private attribute kept");
                continue;
            }

            if (rule is null)
            {
                if (e is DicomSequence s && after.GetSequence(e.Tag) is { } t)
                {
                    for (int i = 0; i < s.Items.Count; i++)
                    {
                        n += CheckLevel(s.Items[i], t.Items[i], deid, $"{where} {e.Tag}[{i}]");
                    }
                }

                continue;
            }

            n++;
            string what = $"{where} {rule.TagText} {rule.Name} ({rule.Basic})";
            bool present = after.TryGetElement(e.Tag, out DicomElement a);
            if (rule.Basic.Contains('U', StringComparison.Ordinal) && e is not DicomSequence)
            {
                Assert.Equal(string.Join('\\', before.GetStrings(e.Tag).Select(deid.MapUid)), after.GetString(e.Tag));
            }
            else if (rule.Basic == "X" && e.Tag != DicomTags.TreatmentMachineName)
            {
                Assert.False(present, what);
            }
            else if (rule.Basic.Contains('Z', StringComparison.Ordinal) || e.Tag == DicomTags.TreatmentMachineName)
            {
                Assert.True(present && (a is DicomSequence sq ? sq.Items.Count == 0 : a.Length == 0), what);
            }
            else if (rule.Basic.Contains('D', StringComparison.Ordinal) && e is not DicomSequence && e.Length > 0)
            {
                Assert.True(present && !a.Value.Span.SequenceEqual(e.Value.Span), what);
            }
        }

        return n;
    }

    private static byte[] SampleValue(DicomVR vr)
    {
        string text = vr.Code switch
        {
            "DA" => "20240102",
            "TM" => "101112",
            "DT" => "20240102101112",
            "AS" => "042Y",
            "DS" or "IS" => "42",
            "UI" => "1.2.3.4.5.6",
            "CS" => "SECRET",
            _ => "Secret Value",
        };
        byte[] bytes = vr.IsText ? Encoding.ASCII.GetBytes(text) : [1, 2, 3, 4, 5, 6, 7, 8];
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, vr == DicomVR.UI ? (byte)0 : (byte)' '];
    }
}
