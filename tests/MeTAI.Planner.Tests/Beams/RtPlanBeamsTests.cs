using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dosimetry.Beams;
using MeTAI.Dosimetry.Engines;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Tests.Beams;

public class RtPlanBeamsTests
{
    private const string PydicomPlan = "/usr/lib/python3/dist-packages/pydicom/data/test_files/rtplan.dcm";

    [Fact]
    public void Segments_PydicomPlan_OneOpenFieldOf116Mu()
    {
        if (!File.Exists(PydicomPlan))
        {
            return;
        }

        RtPlan plan = RtPlanReader.Read(PydicomPlan);
        IReadOnlyList<DeliverySegment> s = RtPlanBeams.Segments(plan, "RTPLAN", 6, null);
        DeliverySegment seg = Assert.Single(s);
        Assert.Equal(116.0036697, seg.MonitorUnits, 6);
        Assert.Equal(0, seg.GantryDeg);
        Assert.Equal(1000, seg.SadMm);
        Assert.Equal(new Vec3(235.711172833292, 244.135437110782, -724.97815409918), seg.IsocenterLps);
        ApertureRect r = Assert.Single(seg.Rectangles);
        Assert.Equal((-100.0, 100.0, -100.0, 100.0), (r.X0Mm, r.X1Mm, r.Y0Mm, r.Y1Mm));
        Assert.Equal(30, plan.FractionsPlanned);
    }

    [Fact]
    public void Segments_IsocenterOverride_MovesEveryBeam()
    {
        if (!File.Exists(PydicomPlan))
        {
            return;
        }

        var iso = new Vec3(1, 2, 3);
        Assert.All(RtPlanBeams.Segments(RtPlanReader.Read(PydicomPlan), "RTPLAN", 6, null, iso), s => Assert.Equal(iso, s.IsocenterLps));
    }

    [Fact]
    public void BuiltPlan_RoundTripsThroughDicom_AndMapsBackToTheSegments()
    {
        SequencedBeam beam = TwoSegmentBeam();
        RtPlan plan = RtPlanBuilder.Build([beam], new Prescription("PTV", 60, 30), "TEST", structureSetUid: "1.2.3.4");
        string path = Path.Combine(TestData.TempDir("rtplan"), "rtplan.dcm");
        RtPlanWriter.Write(plan, path);
        RtPlan read = RtPlanReader.Read(path);
        Assert.Equal(4, read.Beams[0].ControlPoints.Count);
        Assert.Equal(beam.MonitorUnits, read.MetersetMu(1)!.Value, 3);
        IReadOnlyList<DeliverySegment> s = RtPlanBeams.Segments(read, "RTPLAN", 6, null);
        Assert.Equal(2, s.Count);
        Assert.Equal(7, s[0].MonitorUnits, 3);
        Assert.Equal(3, s[1].MonitorUnits, 3);
        // Segment 0 opens pair 40 (y 0..5) from x −10 to 10 and pair 41 from 0 to 5.
        Assert.Equal(2, s[0].Rectangles.Count);
        Assert.Contains(new ApertureRect(-10, 10, 0, 5), s[0].Rectangles);
        Assert.Contains(new ApertureRect(0, 5, 5, 10), s[0].Rectangles);
    }

    [Fact]
    public void ToBeamSetups_WeightsRectanglesByTheirSegmentMu()
    {
        SequencedBeam beam = TwoSegmentBeam();
        RtPlan plan = RtPlanBuilder.Build([beam], new Prescription("PTV", 60, 30), "TEST", structureSetUid: "1.2.3.4");
        BeamModel model = BeamModel.Load(DosimetryPaths.BeamFile("6MV-mohan"));
        (int number, BeamSetup setup) = Assert.Single(RtPlanBeams.ToBeamSetups(RtPlanBeams.Segments(plan, "RTPLAN", 6, null), model, muScale: 30));
        Assert.Equal(1, number);
        Assert.Equal(10 * 30, setup.MonitorUnits, 6);
        // Fluence per rectangle = F·MU_s: weights are MU_s / MU_beam.
        Assert.Equal(0.7, setup.Aperture.Rectangles[0].Weight, 6);
        Assert.Equal(0.3, setup.Aperture.Rectangles[^1].Weight, 6);
    }

    private static SequencedBeam TwoSegmentBeam()
    {
        MlcModel mlc = MlcModel.Uniform(5, 80);
        var a0 = new double[80];
        var b0 = new double[80];
        var a1 = new double[80];
        var b1 = new double[80];
        Array.Fill(a0, -10.0);
        Array.Fill(b0, -10.0);
        Array.Fill(a1, -10.0);
        Array.Fill(b1, -10.0);
        (a0[40], b0[40]) = (-10, 10);
        (a0[41], b0[41]) = (0, 5);
        (a1[40], b1[40]) = (-5, 5);
        var beam = new PlanBeam(1, "G000", 0, 0, 0, new Vec3(0, 0, 0), PatientPosition.HeadFirstSupine);
        return new SequencedBeam(beam, mlc, -10, 10, 0, 10, [new Segment(a0, b0, 7), new Segment(a1, b1, 3)]);
    }
}
