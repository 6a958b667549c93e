using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Tests.Rt;

namespace MeTAI.Dicom.Tests.Cases;

/// <summary>
/// CT, RTSTRUCT, RTPLAN and RTDOSE of one export edited by pydicom so that they no longer belong together: each
/// mismatch is refused naming both values and the files, and accepted as a warning with the override.
/// </summary>
public class CaseConsistencyTests
{
    [ToolFact("pydicom")]
    public void FromDirectory_StructureSetOfAnotherPatient_RefusedThenAcceptedWithTheOverride()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, RtStudy study, _) = ExportCases.Flat("cons-patient");
        string rs = DicomExports.Single(files, "RTSTRUCT");
        DicomExports.Set(rs, "PatientID=SOMEONE-ELSE");

        var ex = Assert.Throws<CaseInconsistentException>(() => CaseLoader.FromDirectory(flat));
        Assert.Contains("Patient ID (0010,0020)", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"CT series {study.Ct.SeriesInstanceUid} (", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has 'METAI-PROSTATE'", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"RTSTRUCT {rs} has 'SOMEONE-ELSE'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-inconsistent uses them anyway", ex.Message, StringComparison.Ordinal);

        var log = new StringWriter();
        PatientCase c = CaseLoader.FromDirectory(flat, new CaseLoadOptions { AllowInconsistent = true }, log);
        string warning = Assert.Single(c.Warnings);
        Assert.Contains("SOMEONE-ELSE", warning, StringComparison.Ordinal);
        Assert.Contains("(accepted by --allow-inconsistent)", warning, StringComparison.Ordinal);
        Assert.Contains("warning: Patient ID (0010,0020)", log.ToString(), StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void FromDirectory_PatientNameSpeltDifferently_IsOnlyAWarning()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, _, _) = ExportCases.Flat("cons-name");
        DicomExports.Set(DicomExports.Single(files, "RTSTRUCT"), "PatientName=PHANTOM^PROSTATE^^");
        Assert.Empty(CaseLoader.FromDirectory(flat).Warnings); // the same name in other case and padding

        DicomExports.Set(DicomExports.Single(files, "RTSTRUCT"), "PatientName=Phantom^Prostata");
        string warning = Assert.Single(CaseLoader.FromDirectory(flat).Warnings);
        Assert.StartsWith("Patient's Name (0010,0010)", warning, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void FromDirectory_StructureSetOnAnotherFrameOfReference_Refused()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, RtStudy study, _) = ExportCases.Flat("cons-for");
        string rs = DicomExports.Single(files, "RTSTRUCT");
        DicomExports.Set(rs, "ReferencedFrameOfReferenceUID=1.2.826.0.1.3680043.2.1125.99");

        var ex = Assert.Throws<CaseInconsistentException>(() => CaseLoader.FromDirectory(flat));
        Assert.Contains($"Referenced Frame of Reference Sequence (3006,0010): RTSTRUCT {rs} is drawn on frame of reference 1.2.826.0.1.3680043.2.1125.99, CT series {study.Ct.SeriesInstanceUid}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"is on {study.Ct.FrameOfReferenceUid}", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(CaseLoader.FromDirectory(flat, new CaseLoadOptions { AllowInconsistent = true }).Warnings);
    }

    [ToolFact("pydicom")]
    public void FromDirectory_ContourOnAnImageNotInTheCt_Refused()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, _, _) = ExportCases.Flat("cons-image");
        DicomExports.Set(DicomExports.Single(files, "RTSTRUCT"), "ContourImageUID=1.2.826.0.1.3680043.2.1125.7");
        var ex = Assert.Throws<CaseInconsistentException>(() => CaseLoader.FromDirectory(flat));
        Assert.Contains("Contour Image Sequence (3006,0016)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1.2.826.0.1.3680043.2.1125.7", ex.Message, StringComparison.Ordinal);
    }

    [ToolFact("pydicom")]
    public void LoadPlanOnCt_PlanOfAnotherStructureSetOrFrame_Refused()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, RtStudy study, _) = ExportCases.Flat("cons-plan");
        string rp = DicomExports.Single(files, "RTPLAN");
        DicomExports.Set(rp, "ReferencedStructureSetUID=1.2.826.0.1.3680043.2.1125.11");
        var ex = Assert.Throws<CaseInconsistentException>(() => CaseLoader.LoadPlanOnCt(flat, rp));
        Assert.Contains($"Referenced Structure Set Sequence (300C,0060): RTPLAN {rp} references structure set 1.2.826.0.1.3680043.2.1125.11, RTSTRUCT", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"is {study.StructureSet!.SopInstanceUid}", ex.Message, StringComparison.Ordinal);

        DicomExports.Set(rp, $"ReferencedStructureSetUID={study.StructureSet.SopInstanceUid}", "FrameOfReferenceUID=1.2.826.0.1.3680043.2.1125.12", "StudyInstanceUID=1.2.826.0.1.3680043.2.1125.13");
        var frame = Assert.Throws<CaseInconsistentException>(() => CaseLoader.LoadPlanOnCt(flat, rp));
        Assert.Contains("Frame of Reference UID (0020,0052)", frame.Message, StringComparison.Ordinal);
        Assert.Contains("Study Instance UID (0020,000D)", frame.Message, StringComparison.Ordinal);
        Assert.Equal(2, frame.Problems.Count);
        PlanCtInputs accepted = CaseLoader.LoadPlanOnCt(flat, rp, new CaseLoadOptions { AllowInconsistent = true });
        Assert.Equal(2, accepted.Warnings.Count);
    }

    [ToolFact("pydicom")]
    public void Check_DoseOfAnotherPlan_Reported()
    {
        (string flat, IReadOnlyList<(string Modality, string Path)> files, _, _) = ExportCases.Flat("cons-dose");
        string rd = DicomExports.Single(files, "RTDOSE");
        DicomExports.Set(rd, "ReferencedPlanUID=1.2.826.0.1.3680043.2.1125.21");
        var objects = new CaseObjects
        {
            Ct = CaseLoader.ReadCt(flat).Ct,
            StructureSet = RtStructureSetReader.Read(DicomExports.Single(files, "RTSTRUCT")),
            Plan = RtPlanReader.Read(DicomExports.Single(files, "RTPLAN")),
            PlanFile = DicomExports.Single(files, "RTPLAN"),
            Dose = RtDoseReader.Read(rd),
            DoseFile = rd,
        };
        CaseConsistencyProblem p = Assert.Single(CaseConsistency.Check(objects));
        Assert.Equal("Referenced RT Plan Sequence (300C,0002)", p.Attribute);
        Assert.Contains($"RTDOSE {rd} references plan 1.2.826.0.1.3680043.2.1125.21", p.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ConsistentObjects_NoProblems()
    {
        CtSeries ct = RtTestData.Ct(8);
        RtStudy study = MeTAI.Dicom.Rt.Writers.RtStudyWriter.Link(ct, RtStructureSet.FromMasks(ct, RtTestData.Masks(ct.Geometry)), RtTestData.Plan(), RtTestData.Dose(ct.Geometry));
        Assert.Empty(CaseConsistency.Check(new CaseObjects { Ct = study.Ct, StructureSet = study.StructureSet, Plan = study.Plan, Dose = study.Dose }));
        Assert.Empty(CaseConsistency.Check(new CaseObjects { StructureSet = study.StructureSet, Dose = study.Dose }));
        IReadOnlyList<CaseConsistencyProblem> other = CaseConsistency.Check(new CaseObjects { StructureSet = study.StructureSet, Dose = study.Dose! with { FrameOfReferenceUid = "1.2.3" } });
        Assert.Equal("Frame of Reference UID (0020,0052)", Assert.Single(other).Attribute);
    }
}
