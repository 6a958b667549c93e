using System.Text.Json;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Evaluation;
using MeTAI.Planner.Tests.Tools;

namespace MeTAI.Planner.Tests.Evaluation;

/// <summary>
/// DVH metrics from our <c>dvh</c> path (contours rasterised on the dose grid) against dicompyler-core
/// (<c>dvhcalc.get_dvh</c>, Debian's python3-dicompylercore) on the same RTSTRUCT and RTDOSE files. dicompyler bins
/// dose in 1 cGy steps and reads Dx at the bin whose cumulative volume is nearest to x %, so Dx may differ by that bin
/// and by the volume step of one voxel; the comparison allows 2 % + 2 cGy for D95/D5 and 1 % + 1 cGy for the mean.
/// </summary>
public class DicompylerDvhTests
{
    [ToolFact("dicompyler")]
    public void Metrics_AgreeWithDicompylerCore()
    {
        string dir = TestData.TempDir("dicompyler");
        Phantom phantom = PhantomLibrary.Build("prostate", 5);
        RtStudy study = RtPhantom.Write(phantom, dir);
        // A dose on the CT grid with gradients across every structure and 2 % noise.
        var dose = new RtDose { Dose = SyntheticDose.Box(phantom.Geometry, 0, 1, 0.02, 3, peakGy: 60), DoseSummationType = "PHYSICAL" };
        RtDoseWriter.Write(dose with { FrameOfReferenceUid = study.Ct.FrameOfReferenceUid, PatientStudy = study.Ct.PatientStudy }, Path.Combine(dir, "rtdose.dcm"));
        string rtstruct = Path.Combine(dir, "rtstruct.dcm"), rtdose = Path.Combine(dir, "rtdose.dcm");
        IReadOnlyList<DicomDvh.RoiDvh> ours = DicomDvh.Compute(rtstruct, rtdose);
        List<JsonElement> theirs = PythonScripts.PythonJsonLines("dicompyler_dvh.py", rtstruct, rtdose);
        Assert.True(theirs.Count >= 5, "dicompyler returned too few ROIs");
        int compared = 0;
        foreach (JsonElement t in theirs)
        {
            string name = t.GetProperty("name").GetString()!;
            DicomDvh.RoiDvh o = ours.Single(r => r.Name == name);
            double mean = t.GetProperty("meanGy").GetDouble(), d95 = t.GetProperty("D95Gy").GetDouble(), d5 = t.GetProperty("D5Gy").GetDouble();
            Assert.True(Math.Abs(o.Metrics.MeanGy - mean) <= 0.01 * mean + 0.01, $"{name}: mean {o.Metrics.MeanGy:0.000} vs dicompyler {mean:0.000}");
            Assert.True(Math.Abs(o.Metrics.D95Gy - d95) <= 0.02 * d95 + 0.02, $"{name}: D95 {o.Metrics.D95Gy:0.000} vs dicompyler {d95:0.000}");
            Assert.True(Math.Abs(o.Metrics.D5Gy - d5) <= 0.02 * d5 + 0.02, $"{name}: D5 {o.Metrics.D5Gy:0.000} vs dicompyler {d5:0.000}");
            Assert.True(Math.Abs(o.Metrics.VolumeCc - t.GetProperty("volumeCc").GetDouble()) <= 0.03 * o.Metrics.VolumeCc + 0.2, $"{name}: volume");
            compared++;
        }

        Assert.True(compared >= 5);
    }
}
