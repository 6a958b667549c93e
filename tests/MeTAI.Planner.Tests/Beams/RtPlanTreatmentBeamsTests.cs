using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Tests.Beams;

/// <summary>
/// <see cref="RtPlanBeams.TreatmentBeams(string)"/>: each treatment beam as the room is set up for it (what the HIL
/// delivery moves the arm to), and the plans it refuses with the file and beam named.
/// </summary>
public class RtPlanTreatmentBeamsTests
{
    private const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    [Fact]
    public void Read_PydicomRtplan_OneBeamWithItsAnglesIsocentreAndMu()
    {
        TreatmentBeam t = Assert.Single(RtPlanBeams.TreatmentBeams(Path.Combine(PydicomTestFiles, "rtplan.dcm")));
        PlanBeam b = t.Beam;
        Assert.Equal(1, b.Number);
        Assert.Equal("Field 1", b.Name);
        Assert.Equal(0, b.GantryDeg);
        Assert.Equal(0, b.CollimatorDeg);
        Assert.Equal(0, b.CouchDeg);
        Assert.Equal(235.711172833292, b.IsocenterLps.X, 9);
        Assert.Equal(244.135437110782, b.IsocenterLps.Y, 9);
        Assert.Equal(-724.97815409918, b.IsocenterLps.Z, 9);
        Assert.Equal(116.0036697, t.MonitorUnits, 6);
        Assert.Equal(PatientPosition.HeadFirstSupine, t.PatientPosition);
    }

    [Fact]
    public void Read_ShippedPlannerPlan_FiveBeamsTheArmCanReach()
    {
        IReadOnlyList<TreatmentBeam> beams = RtPlanBeams.TreatmentBeams(Path.Combine(TestData.RepositoryRoot(), "configs", "hil", "plans", "prostate-robot.dcm"));
        Assert.Equal([270.0, 330, 0, 30, 90], beams.Select(b => b.Beam.GantryDeg));
        Assert.Equal([1, 2, 3, 4, 5], beams.Select(b => b.Beam.Number));
        Assert.All(beams, b => Assert.True(b.MonitorUnits > 100, $"beam {b.Beam.Number}: {b.MonitorUnits} MU"));
        Assert.Equal(1408, beams.Sum(b => b.MonitorUnits), 0);
    }

    [Fact]
    public void Read_NotAPlan_NamesTheFile()
    {
        string path = Path.Combine(PydicomTestFiles, "CT_small.dcm");
        var ex = Assert.ThrowsAny<Exception>(() => RtPlanBeams.TreatmentBeams(path));
        Assert.Contains("CT_small.dcm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Missing_NamesTheFile()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => RtPlanBeams.TreatmentBeams("/nonexistent/plan.dcm"));
        Assert.Contains("/nonexistent/plan.dcm", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TreatmentBeams_Arc_IsRefusedWithTheBeamNamed()
    {
        RtPlan plan = OneBeamPlan();
        RtBeam beam = plan.Beams[0];
        plan = plan with { Beams = [beam with { ControlPoints = [beam.ControlPoints[0] with { GantryRotationDirection = "CW" }, .. beam.ControlPoints.Skip(1)] }] };
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.TreatmentBeams(plan, "RTPLAN arc.dcm"));
        Assert.Equal("RTPLAN arc.dcm: beam 1 ('G000'): an arc (gantry rotation CW); the HIL delivery moves the arm to static beam poses only.", ex.Message);
    }

    [Fact]
    public void TreatmentBeams_FeetFirst_IsRefused()
    {
        RtPlan plan = OneBeamPlan();
        plan = plan with { PatientSetups = [plan.PatientSetups[0] with { PatientPosition = "FFS" }] };
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.TreatmentBeams(plan, "RTPLAN ffs.dcm"));
        Assert.Equal("RTPLAN ffs.dcm: beam 1 ('G000'): Patient Position (0018,5100) FFS (feet first-supine); the HIL beam-pose mapping is for head-first supine (HFS) only.", ex.Message);
    }

    [Fact]
    public void TreatmentBeams_FirstControlPointWithoutIsocentre_NamesTheAttribute()
    {
        RtPlan plan = OneBeamPlan();
        RtBeam beam = plan.Beams[0];
        plan = plan with { Beams = [beam with { ControlPoints = [beam.ControlPoints[0] with { IsocenterLps = null }, .. beam.ControlPoints.Skip(1)] }] };
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.TreatmentBeams(plan, "RTPLAN iso.dcm"));
        Assert.Equal("RTPLAN iso.dcm: beam 1 ('G000'): the first control point has no Isocenter Position (300A,012C).", ex.Message);
    }

    [Fact]
    public void TreatmentBeams_NoBeamWithMu_SaysSo()
    {
        RtPlan plan = OneBeamPlan();
        plan = plan with { FractionGroups = [plan.FractionGroups[0] with { ReferencedBeams = [] }] };
        var ex = Assert.Throws<ArgumentException>(() => RtPlanBeams.TreatmentBeams(plan, "RTPLAN none.dcm"));
        Assert.Equal("RTPLAN none.dcm: no treatment beam with MU in its fraction group.", ex.Message);
    }

    private static RtPlan OneBeamPlan()
    {
        MlcModel mlc = MlcModel.Uniform(5, 80);
        var a = new double[80];
        var b = new double[80];
        (a[40], b[40]) = (-10, 10);
        var beam = new SequencedBeam(new PlanBeam(1, "G000", 0, 0, 0, new Vec3(1, 2, 3), PatientPosition.HeadFirstSupine), mlc, -10, 10, 0, 5, [new Segment(a, b, 5)]);
        return RtPlanBuilder.Build([beam], new Prescription("PTV", 60, 30), "TEST");
    }
}
