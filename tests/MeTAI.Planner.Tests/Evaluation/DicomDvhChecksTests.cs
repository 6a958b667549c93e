using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Tests.Tools;

namespace MeTAI.Planner.Tests.Evaluation;

/// <summary>
/// What <see cref="DicomDvh.Evaluate"/> refuses: a dose grid that covers part of an ROI (the coverage checked against
/// the phantom's own masks), an RTDOSE of another patient and frame of reference; and that a RELATIVE dose stays
/// relative.
/// </summary>
public class DicomDvhChecksTests
{
    private static (string Dir, RtStudy Study, Phantom Phantom) Case(string name)
    {
        string dir = TestData.TempDir(name);
        Phantom phantom = PhantomLibrary.Build("prostate", 10);
        return (dir, RtPhantom.Write(phantom, dir), phantom);
    }

    private static string WriteDose(string dir, RtStudy study, GridGeometry grid, string units = "GY", RtPatientStudy? patient = null, string? frame = null)
    {
        string path = Path.Combine(dir, "rtdose.dcm");
        var dose = new RtDose
        {
            Dose = SyntheticDose.Box(grid, 0, 1, 0, 3, peakGy: 60),
            DoseUnits = units,
            DoseSummationType = "PHYSICAL",
            PatientStudy = patient ?? study.Ct.PatientStudy,
            FrameOfReferenceUid = frame ?? study.Ct.FrameOfReferenceUid,
        };
        RtDoseWriter.Write(dose, path);
        return path;
    }

    [Fact]
    public void Evaluate_DoseOnTheCtGrid_CoversEveryRoiWhole()
    {
        (string dir, RtStudy study, _) = Case("dvh-whole");
        DicomDvhReport r = DicomDvh.Evaluate(Path.Combine(dir, "rtstruct.dcm"), WriteDose(dir, study, study.Ct.Geometry), null, new DicomDvhOptions());
        Assert.All(r.Rois, roi => Assert.Equal(100, roi.CoveragePercent));
        Assert.False(r.IsRelative);
        Assert.Empty(r.Warnings);
    }

    [Fact]
    public void Evaluate_GridOverHalfTheSlices_RefusedWithEachRoisCoverage_OrWarnedWithAllowPartial()
    {
        (string dir, RtStudy study, Phantom phantom) = Case("dvh-partial");
        GridGeometry ct = study.Ct.Geometry;
        int half = ct.SizeZ / 2;
        var grid = new GridGeometry(ct.SizeX, ct.SizeY, half, ct.SpacingMm, ct.OriginLps, ct.Direction);
        string dose = WriteDose(dir, study, grid);
        string ss = Path.Combine(dir, "rtstruct.dcm");

        var ex = Assert.Throws<InvalidOperationException>(() => DicomDvh.Evaluate(ss, dose, null, new DicomDvhOptions()));
        Assert.Contains("does not cover the ROIs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--allow-partial reports them anyway", ex.Message, StringComparison.Ordinal);

        var log = new StringWriter();
        DicomDvhReport r = DicomDvh.Evaluate(ss, dose, null, new DicomDvhOptions { AllowPartial = true }, log);
        foreach (PhantomStructure s in phantom.Structures)
        {
            // The phantom's own mask on the CT grid: the share of its voxels on the slices the dose grid keeps.
            int total = 0, inside = 0;
            for (int n = 0; n < s.Mask.Voxels.Length; n++)
            {
                if (s.Mask.Voxels[n] != 0)
                {
                    total++;
                    inside += n / (ct.SizeX * ct.SizeY) < half ? 1 : 0;
                }
            }

            DicomDvh.RoiDvh roi = r.Rois.Single(x => x.Name == s.Name);
            Assert.Equal(100.0 * inside / total, roi.CoveragePercent, 9);
            Assert.Equal(inside * ct.VoxelVolumeCc, roi.Metrics.VolumeCc, 6);
            if (roi.CoveragePercent < 99)
            {
                Assert.Contains($"ROI '{s.Name}'", ex.Message, StringComparison.Ordinal);
                Assert.Contains(r.Warnings, w => w.StartsWith($"ROI '{s.Name}': the dose grid covers", StringComparison.Ordinal));
            }
        }

        Assert.Contains("warning: ROI", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnrelatedDose_RefusedForItsFrameOfReference_ThenForItsCoverage()
    {
        (string dir, RtStudy study, _) = Case("dvh-unrelated");
        // Another patient's dose, on its own frame of reference, on a grid 2 m away from these ROIs.
        GridGeometry elsewhere = GridGeometry.Centered(new Vec3(200, 200, 200), 10, new Vec3(0, 0, 2000));
        string dose = WriteDose(dir, study, elsewhere, patient: RtPatientStudy.Create("Other^Patient", "OTHER-1"), frame: "1.2.826.0.1.3680043.2.1125.41");
        string ss = Path.Combine(dir, "rtstruct.dcm");

        var ex = Assert.Throws<CaseInconsistentException>(() => DicomDvh.Evaluate(ss, dose, null, new DicomDvhOptions()));
        Assert.Contains($"Frame of Reference UID (0020,0052): RTDOSE {dose} is on frame of reference 1.2.826.0.1.3680043.2.1125.41, RTSTRUCT {ss} on {study.Ct.FrameOfReferenceUid}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Patient ID (0010,0020)", ex.Message, StringComparison.Ordinal);

        var allow = new DicomDvhOptions { Consistency = new CaseLoadOptions { AllowInconsistent = true } };
        var partial = Assert.Throws<InvalidOperationException>(() => DicomDvh.Evaluate(ss, dose, null, allow));
        Assert.Contains("ROI 'PTV' is 0.0 % inside it", partial.Message, StringComparison.Ordinal);

        DicomDvhReport r = DicomDvh.Evaluate(ss, dose, null, allow with { AllowPartial = true });
        Assert.All(r.Rois, roi => Assert.Equal(0, roi.Metrics.VolumeCc));
        Assert.Contains(r.Warnings, w => w.Contains("accepted by --allow-inconsistent", StringComparison.Ordinal));
        Assert.Contains(r.Warnings, w => w.Contains("accepted by --allow-partial", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_RelativeDose_ReportedAsRelative()
    {
        (string dir, RtStudy study, _) = Case("dvh-relative");
        string dose = WriteDose(dir, study, study.Ct.Geometry, units: "RELATIVE");
        DicomDvhReport r = DicomDvh.Evaluate(Path.Combine(dir, "rtstruct.dcm"), dose, ["PTV"], new DicomDvhOptions());
        Assert.True(r.IsRelative);
        Assert.Equal("RELATIVE", r.DoseUnits);
        DicomDvh.RoiDvh ptv = Assert.Single(r.Rois);
        Assert.True(ptv.Metrics.MeanGy > 0);
        Assert.True(ptv.Dvh.BinGy < 0.1); // a thousandth of the maximum, not 0.01 Gy
    }
}
