using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Cases;

/// <summary>Grouping a planning system's export (written by pydicom) by patient, study and series.</summary>
public class CaseInventoryTests
{
    [ToolFact("pydicom")]
    public void Scan_FlatExport_GroupsBySeriesAndSkipsWhatIsNotDicom()
    {
        (string flat, _, RtStudy study, _) = ExportCases.Flat("inv-flat");
        CaseInventory inv = CaseInventory.Scan(flat);

        Assert.Equal(["README.txt", "export.xml"], inv.NotDicom.Order(StringComparer.Ordinal));
        Assert.Empty(inv.Problems);
        Assert.Equal(4, inv.Series.Count);
        CaseSeries ct = Assert.Single(inv.CtSeries);
        Assert.Equal(study.Ct.SeriesInstanceUid, ct.SeriesInstanceUid);
        Assert.Equal(study.Ct.Geometry.SizeZ, ct.Instances.Count);
        Assert.Equal([study.Ct.FrameOfReferenceUid], ct.FramesOfReference);
        Assert.All(ct.Instances, i => Assert.StartsWith("CT.", i.Name, StringComparison.Ordinal));
        CaseInstance rs = Assert.Single(inv.StructureSets);
        Assert.Equal(study.Ct.SeriesInstanceUid, rs.ReferencedSeriesUid);
        Assert.Equal(study.Ct.FrameOfReferenceUid, rs.FrameOfReferenceUid);
        Assert.Equal(study.StructureSet!.SopInstanceUid, Assert.Single(inv.Plans).ReferencedStructureSetUid);
        Assert.Equal(study.Plan!.SopInstanceUid, Assert.Single(inv.Doses).ReferencedPlanUid);

        string listing = inv.Describe();
        Assert.Contains($"{inv.Series.Count} series", listing, StringComparison.Ordinal);
        Assert.Contains("2 not DICOM (skipped)", listing, StringComparison.Ordinal);
        Assert.Contains($"series {ct.SeriesInstanceUid} #1 CT, CT Image Storage, {ct.Instances.Count} instances, frame of reference {study.Ct.FrameOfReferenceUid}, \"planning CT\"", listing, StringComparison.Ordinal);
        Assert.Contains($"structure set {rs.SopInstanceUid} 'METAI' ({rs.Name}) on frame of reference {study.Ct.FrameOfReferenceUid}, drawn on series {ct.SeriesInstanceUid}", listing, StringComparison.Ordinal);
        Assert.Contains("patient 'METAI-PROSTATE'", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("METAI-PROSTATE", inv.Describe(showPatientIdentity: false), StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void Scan_ExportInSubfolders_FindsTheSameObjects()
    {
        (string flat, _, _, _) = ExportCases.Flat("inv-sub", subdirs: true);
        CaseInventory inv = CaseInventory.Scan(flat);
        Assert.Equal(4, inv.Series.Count);
        Assert.All(inv.CtSeries.Single().Instances, i => Assert.StartsWith("images/CT.", i.Name, StringComparison.Ordinal));
        Assert.StartsWith("rt/rtstruct/RS.", inv.StructureSets.Single().Name, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void Scan_TruncatedDicomFile_IsNamedAsAProblem()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, _, _) = ExportCases.Flat("inv-bad");
        string victim = files.First(f => f.Modality == "CT").Path;
        File.WriteAllBytes(victim, File.ReadAllBytes(victim)[..600]);
        CaseInventory inv = CaseInventory.Scan(flat);
        CaseFileProblem p = Assert.Single(inv.Problems);
        Assert.Equal(Path.GetFileName(victim), p.Name);
        Assert.NotNull(p.Error);

        // Loading refuses, naming the file, rather than planning on a series with a slice missing.
        var ex = Assert.Throws<DicomFormatException>(() => CaseLoader.FromDirectory(flat));
        Assert.Contains(Path.GetFileName(victim), ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be used", ex.Message, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void Scan_CopyOfAFile_IsIgnored_ButTwoObjectsWithOneUid_AreAProblem()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, _, _) = ExportCases.Flat("inv-dup");
        string rs = DicomExports.Single(files, "RTSTRUCT");
        File.Copy(rs, Path.Combine(flat, "copy-of-rs.dcm"));
        CaseInventory inv = CaseInventory.Scan(flat);
        Assert.Empty(inv.Problems);
        Assert.Contains(inv.Ignored, i => i.Name == "copy-of-rs.dcm" && i.Reason.StartsWith("a copy of RS.", StringComparison.Ordinal));

        string ct = files.First(f => f.Modality == "CT").Path;
        string other = Path.Combine(flat, "other.dcm");
        File.Copy(ct, other);
        DicomExports.Set(other, "SeriesDescription=changed");
        CaseInventory twice = CaseInventory.Scan(flat);
        Assert.Contains(twice.Problems, p => p.Name == "other.dcm" && p.Reason.Contains("two objects cannot share one UID", StringComparison.Ordinal));
    }

    [Fact]
    public void Scan_NothingThere_SaysSo()
    {
        Assert.Throws<DirectoryNotFoundException>(() => CaseInventory.Scan("/nonexistent/export"));
        string empty = RtTestData.TempDir("inv-empty");
        File.WriteAllText(Path.Combine(empty, "notes.txt"), "no images");
        CaseInventory inv = CaseInventory.Scan(empty);
        Assert.Empty(inv.Series);
        Assert.Equal(["notes.txt"], inv.NotDicom);
        var ex = Assert.Throws<FileNotFoundException>(() => CaseLoader.FromDirectory(empty));
        Assert.Contains("no CT Image Storage series found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 files not DICOM", ex.Message, StringComparison.Ordinal);
    }
}
