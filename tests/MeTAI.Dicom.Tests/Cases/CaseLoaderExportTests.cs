using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Cases;

/// <summary>
/// Cases loaded from exports as other systems leave them (pydicom writes them): the same case as from our layout; two
/// CT series and two structure sets refused with the candidates listed, then loaded with the choice.
/// </summary>
public class CaseLoaderExportTests
{
    [ToolFact("pydicom")]
    public void FromDirectory_FlatExport_SameCaseAsTheCtAndRtstructLayout()
    {
        (string flat, _, RtStudy study, string layout) = ExportCases.Flat("load-flat");
        var log = new StringWriter();
        PatientCase fromExport = CaseLoader.FromDirectory(flat, log: log);
        PatientCase fromLayout = CaseLoader.FromDirectory(layout);

        Assert.Equal(fromLayout.Ct.Hu.Data, fromExport.Ct.Hu.Data);
        Assert.True(fromLayout.Ct.Geometry.SameAs(fromExport.Ct.Geometry));
        Assert.Equal(fromLayout.Ct.SopInstanceUids, fromExport.Ct.SopInstanceUids);
        Assert.Equal(fromLayout.Rois.Select(r => (r.Mask.Name, r.InterpretedType, r.Color)), fromExport.Rois.Select(r => (r.Mask.Name, r.InterpretedType, r.Color)));
        Assert.All(fromLayout.Rois.Zip(fromExport.Rois), p => Assert.Equal(p.First.Mask.Voxels, p.Second.Mask.Voxels));
        Assert.Empty(fromExport.Warnings);
        Assert.Contains("2 not DICOM (skipped)", log.ToString(), StringComparison.Ordinal);
        Assert.Contains($"case: CT series {study.Ct.SeriesInstanceUid} ({study.Ct.Geometry.SizeZ} slices) and structure set {study.StructureSet!.SopInstanceUid}", log.ToString(), StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void FromDirectory_TwoCtSeriesAndTwoStructureSets_RefusedListingThem_ThenLoadedByChoice()
    {
        RtPatientStudy patient = RtPatientStudy.Create("Export^Two", "TWO-SERIES");
        (string first, RtStudy a, _) = ExportCases.Written("two-a", patient, "CT 1", 1);
        (string second, RtStudy b, _) = ExportCases.Written("two-b", patient, "CT 2 (rescan)", 5);
        string flat = RtTestData.TempDir("two-flat");
        DicomExports.Flat(flat, false, first, second);

        var ex = Assert.Throws<CaseAmbiguousException>(() => CaseLoader.FromDirectory(flat));
        Assert.Contains("2 CT series and 2 structure sets (2 pairs that belong together)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("choose with --ct-series UID and/or --structure-set UID", ex.Message, StringComparison.Ordinal);
        foreach (string uid in new[] { a.Ct.SeriesInstanceUid, b.Ct.SeriesInstanceUid, a.StructureSet!.SopInstanceUid, b.StructureSet!.SopInstanceUid })
        {
            Assert.Contains(uid, ex.Message, StringComparison.Ordinal);
        }

        Assert.Contains("\"CT 2 (rescan)\"", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { a.Ct.SeriesInstanceUid, b.Ct.SeriesInstanceUid }.Order(StringComparer.Ordinal), ex.CtSeriesUids.Order(StringComparer.Ordinal));

        // Either choice settles it: the structure set drawn on the chosen CT, or the CT the chosen structure set was drawn on.
        PatientCase byCt = CaseLoader.FromDirectory(flat, new CaseLoadOptions { CtSeriesUid = b.Ct.SeriesInstanceUid });
        Assert.Equal(b.Ct.SopInstanceUids, byCt.Ct.SopInstanceUids);
        Assert.Equal(b.StructureSet.SopInstanceUid, byCt.Study!.StructureSet!.SopInstanceUid);
        PatientCase bySs = CaseLoader.FromDirectory(flat, new CaseLoadOptions { StructureSetUid = a.StructureSet.SopInstanceUid });
        Assert.Equal(a.Ct.SopInstanceUids, bySs.Ct.SopInstanceUids);
        PatientCase both = CaseLoader.FromDirectory(flat, new CaseLoadOptions { CtSeriesUid = a.Ct.SeriesInstanceUid, StructureSetUid = a.StructureSet.SopInstanceUid });
        Assert.Equal(a.Ct.SeriesInstanceUid, both.Ct.SeriesInstanceUid);

        // A structure set drawn on the other CT is refused by the consistency check, naming both series.
        var mixed = Assert.Throws<CaseInconsistentException>(() => CaseLoader.FromDirectory(flat, new CaseLoadOptions { CtSeriesUid = a.Ct.SeriesInstanceUid, StructureSetUid = b.StructureSet.SopInstanceUid }));
        Assert.Contains($"was drawn on series {b.Ct.SeriesInstanceUid}", mixed.Message, StringComparison.Ordinal);

        var unknown = Assert.Throws<ArgumentException>(() => CaseLoader.FromDirectory(flat, new CaseLoadOptions { CtSeriesUid = "1.2.3" }));
        Assert.Contains("--ct-series 1.2.3: no such CT series", unknown.Message, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void FromDirectory_TwoCtSeriesOneStructureSet_TakesThePairThatBelongsTogether()
    {
        RtPatientStudy patient = RtPatientStudy.Create("Export^Pair", "PAIR");
        (string first, RtStudy a, _) = ExportCases.Written("pair-a", patient, "CT 1", 1);
        (string second, _, _) = ExportCases.Written("pair-b", patient, "CT 2", 2);
        File.Delete(Path.Combine(second, "rtstruct.dcm"));
        File.Delete(Path.Combine(second, "rtplan.dcm"));
        File.Delete(Path.Combine(second, "rtdose.dcm"));
        string flat = RtTestData.TempDir("pair-flat");
        DicomExports.Flat(flat, false, first, second);
        var log = new StringWriter();
        PatientCase c = CaseLoader.FromDirectory(flat, log: log);
        Assert.Equal(a.Ct.SeriesInstanceUid, c.Ct.SeriesInstanceUid);
        Assert.Contains("the one CT series with a structure set drawn on it", log.ToString(), StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void LoadPlanOnCt_FlatExport_FindsThePlansStructureSet()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, RtStudy study, _) = ExportCases.Flat("plan-on-ct");
        PlanCtInputs inputs = CaseLoader.LoadPlanOnCt(flat, DicomExports.Single(files, "RTPLAN"));
        Assert.Equal(study.Ct.SopInstanceUids, inputs.Ct.SopInstanceUids);
        Assert.Equal(study.StructureSet!.SopInstanceUid, inputs.StructureSet!.SopInstanceUid);
        Assert.Equal(flat, inputs.CtDirectory);
        Assert.Empty(inputs.Warnings);
    }
}
