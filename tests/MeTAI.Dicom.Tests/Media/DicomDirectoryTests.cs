using System.Globalization;
using System.Text.RegularExpressions;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Media;
using MeTAI.Dicom.Tests.Cases;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Media;

/// <summary>DICOMDIRs made by dcmtk's dcmmkdir and by pydicom's FileSet, read through our reader.</summary>
public partial class DicomDirectoryTests
{
    [ToolFact("dcmmkdir", "dcmdump", "pydicom")]
    public void Read_DcmmkdirMedia_RecordTreeAndOffsetsAsDcmdumpShowsThem()
    {
        (string layout, _, _) = ExportCases.Written("dd-dcmtk-src");
        string media = RtTestData.TempDir("dd-dcmtk");
        IReadOnlyList<(string Modality, string Path)> files = DicomExports.DcmtkMedia(media, layout);
        DicomDirectory dir = DicomDirectory.Read(Path.Combine(media, "DICOMDIR"));

        // dcmdump prints "#  offset=$N" under each record: the same offsets and the same number of records.
        string dump = MeTAI.TestUtilities.OutsideTools.Run("dcmdump", [Path.Combine(media, "DICOMDIR")]).Stdout;
        var theirs = OffsetRegex().Matches(dump).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        var ours = All(dir.Roots).Select(r => r.OffsetBytes).Order().ToList();
        Assert.Equal(theirs, ours);
        Assert.Equal(ours.Count, dir.RecordCount);

        DicomDirectoryRecord patient = Assert.Single(dir.Roots);
        Assert.Equal("PATIENT", patient.RecordType);
        DicomDirectoryRecord study = Assert.Single(patient.Children);
        Assert.Equal("STUDY", study.RecordType);
        Assert.Equal(["SERIES", "SERIES", "SERIES", "SERIES"], study.Children.Select(s => s.RecordType));
        var fileRecords = dir.FileRecords().ToList();
        Assert.Equal(files.Count, fileRecords.Count);
        Assert.All(fileRecords, f => Assert.Equal(["PATIENT", "STUDY", "SERIES"], f.Ancestors.Select(a => a.RecordType)));
        Assert.Contains(fileRecords, f => f.Record.RecordType == "RT STRUCTURE SET");
        Assert.Contains(fileRecords, f => f.Record.RecordType == "RT PLAN");
        Assert.Contains(fileRecords, f => f.Record.RecordType == "RT DOSE");
        Assert.All(fileRecords, f => Assert.Equal("DICOM", f.Record.FileId[0]));
    }

    [ToolFact("dcmmkdir", "pydicom")]
    public void Scan_DcmmkdirMedia_FilesFoundThroughTheDicomdir_EvenInLowerCase()
    {
        (string layout, MeTAI.Dicom.Rt.RtStudy study, _) = ExportCases.Written("dd-lower-src");
        string media = RtTestData.TempDir("dd-lower");
        IReadOnlyList<(string Modality, string Path)> files = DicomExports.DcmtkMedia(media, layout);

        // A FAT or ISO 9660 disc mounted on Linux may show the names in lower case; the File IDs stay upper case.
        Directory.Move(Path.Combine(media, "DICOM"), Path.Combine(media, "dicom.tmp"));
        Directory.Move(Path.Combine(media, "dicom.tmp"), Path.Combine(media, "dicom"));
        foreach (string f in Directory.GetFiles(Path.Combine(media, "dicom")))
        {
            File.Move(f, Path.Combine(Path.GetDirectoryName(f)!, Path.GetFileName(f).ToLowerInvariant() + ";1"));
        }

        File.WriteAllText(Path.Combine(media, "dicom", "stray.dcm"), "not listed");
        CaseInventory inv = CaseInventory.Scan(Path.Combine(media, "DICOMDIR"));
        Assert.Equal(["DICOMDIR"], inv.DicomDirectories);
        Assert.Empty(inv.Problems);
        Assert.Equal(files.Count, inv.Instances.Count);
        Assert.Equal(study.Ct.SeriesInstanceUid, inv.CtSeries.Single().SeriesInstanceUid);
        Assert.Contains(inv.Ignored, i => i.Name == "dicom/stray.dcm" && i.Reason == "not listed in DICOMDIR");

        PatientCase c = CaseLoader.FromDirectory(media);
        Assert.Equal(study.Ct.SopInstanceUids, c.Ct.SopInstanceUids);
    }

    [ToolFact("pydicom")]
    public void Scan_PydicomFileSet_SameObjectsAsTheFlatExport()
    {
        (string flat, _, _, _) = ExportCases.Flat("dd-fs-src");
        string fs = RtTestData.TempDir("dd-fs");
        DicomExports.FileSet(fs, flat);
        CaseInventory viaDir = CaseInventory.Scan(fs);
        CaseInventory direct = CaseInventory.Scan(flat);
        Assert.Equal(["DICOMDIR"], viaDir.DicomDirectories);
        Assert.Empty(viaDir.Problems);
        Assert.Equal(direct.Series.Select(s => (s.SeriesInstanceUid, s.Instances.Count)), viaDir.Series.Select(s => (s.SeriesInstanceUid, s.Instances.Count)));
        Assert.Equal(direct.Instances.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal), viaDir.Instances.Select(i => i.SopInstanceUid).Order(StringComparer.Ordinal));
    }

    [ToolFact("pydicom")]
    public void Scan_FileTheDicomdirListsIsMissing_IsNamed()
    {
        (string flat, _, _, _) = ExportCases.Flat("dd-missing-src");
        string fs = RtTestData.TempDir("dd-missing");
        IReadOnlyList<(string Modality, string Path)> files = DicomExports.FileSet(fs, flat);
        string gone = files.First(f => f.Modality == "CT").Path;
        File.Delete(gone);
        CaseInventory inv = CaseInventory.Scan(fs);
        CaseFileProblem p = Assert.Single(inv.Problems);
        Assert.Equal(Path.GetRelativePath(fs, gone), p.Name);
        Assert.Contains("listed in DICOMDIR (IMAGE record at byte", p.Reason, StringComparison.Ordinal);
        Assert.Contains("but not found", p.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ComponentsThatLeaveTheFolder_AreRefused()
    {
        var index = new MediaFileIndex([("DICOM/IM1", "/m/DICOM/IM1"), ("dicom/im2;1", "/m/dicom/im2;1")]);
        Assert.Equal("/m/DICOM/IM1", index.Resolve(["DICOM", "IM1"])!.Value.Path);
        Assert.Equal("/m/dicom/im2;1", index.Resolve(["DICOM", "IM2"])!.Value.Path);
        Assert.Null(index.Resolve(["DICOM", "IM3"]));
        foreach (string[] bad in new[] { new[] { "..", "etc" }, ["DICOM", ""], ["/etc/passwd"], ["C:", "x"] })
        {
            var ex = Assert.Throws<DicomFormatException>(() => index.Resolve(bad));
            Assert.Contains("is not a plain file or folder name", ex.Message, StringComparison.Ordinal);
        }

        var twins = new MediaFileIndex([("a/IM1", "/1"), ("a/im1", "/2")]);
        Assert.Contains("differ only in case", Assert.Throws<DicomFormatException>(() => twins.Resolve(["A", "Im1"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotADicomdir_IsRefused()
    {
        string dir = RtTestData.TempDir("dd-not");
        string path = Path.Combine(dir, "DICOMDIR");
        MeTAI.Dicom.Rt.CtSeries ct = RtTestData.Ct(20);
        MeTAI.Dicom.Rt.Writers.CtSeriesWriter.Write(ct, dir);
        File.Copy(Directory.GetFiles(dir, "CT.1.dcm").Single(), path);
        var ex = Assert.Throws<DicomFormatException>(() => DicomDirectory.Read(path));
        Assert.Contains("not a DICOMDIR", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
    }

    private static IEnumerable<DicomDirectoryRecord> All(IEnumerable<DicomDirectoryRecord> records) =>
        records.SelectMany(r => new[] { r }.Concat(All(r.Children)));

    [GeneratedRegex(@"offset=\$(\d+)")]
    private static partial Regex OffsetRegex();
}
