using System.Text.Json;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;
using MeTAI.Planner.Tests.Tools;

namespace MeTAI.Planner.Tests.Plans;

/// <summary>The RT objects the planner writes, checked by dicom3tools' dciodvfy and re-read by pydicom.</summary>
public class DicomOutputTests
{
    private static (string Dir, IReadOnlyList<SequencedBeam> Beams, RtStudy Study) WriteSmallPlan()
    {
        string dir = TestData.TempDir("rtout");
        Phantom phantom = PhantomLibrary.Build("prostate", 10);
        PlanCase c = PlanCase.FromPhantom(phantom);
        var rng = new Random(3);
        var beams = new List<SequencedBeam>();
        foreach (PlanBeam b in BeamArrangement.Coplanar(3, Vec3.Zero, PatientPosition.HeadFirstSupine))
        {
            BeamletGrid grid = BeamletGrid.Cover(b, 1000, c.Structure("PTV").Mask, 5, 5);
            double[] w = [.. Enumerable.Range(0, grid.Count).Select(_ => 1 + 9 * rng.NextDouble())];
            beams.Add(LeafSequencer.Sequence(grid, w, MlcModel.Uniform(5, 80), new SequencingOptions { Levels = 4 }));
        }

        RtPlan plan = RtPlanBuilder.Build(beams, new Prescription("PTV", 75.6, 42), "PROSTATE");
        var dose = new RtDose { Dose = SyntheticDose.Box(c.Geometry, peakGy: 76), DoseSummationType = "PLAN" };
        RtStudy study = RtStudyWriter.Write(dir, c.Ct, [.. c.Structures.Select(s => new RtRoiMask(s.Mask, s.InterpretedType, s.Color))], plan, dose);
        return (dir, beams, study);
    }

    [ToolFact("dciodvfy")]
    public void WrittenObjects_PassDciodvfyWithoutErrors()
    {
        (string dir, _, _) = WriteSmallPlan();
        foreach (string file in new[] { "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm", Path.Combine("ct", "CT.1.dcm") })
        {
            (_, string output) = OutsideTools.Run("dciodvfy", Path.Combine(dir, file));
            string[] errors = [.. output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal))];
            Assert.True(errors.Length == 0, $"{file}:\n{string.Join('\n', errors)}");
        }
    }

    [ToolFact("pydicom")]
    public void RtPlan_MetersetsAndControlPoints_AsPydicomReadsThem()
    {
        (string dir, IReadOnlyList<SequencedBeam> beams, RtStudy study) = WriteSmallPlan();
        Assert.Empty(study.CheckReferences());
        List<JsonElement> lines = PythonScripts.PythonJsonLines("rtplan_summary.py", Path.Combine(dir, "rtplan.dcm"));
        Assert.Equal(beams.Count, lines.Count);
        for (int b = 0; b < beams.Count; b++)
        {
            JsonElement j = lines[b];
            SequencedBeam sb = beams[b];
            Assert.Equal(sb.Beam.Number, j.GetProperty("number").GetInt32());
            Assert.Equal(sb.MonitorUnits, j.GetProperty("meterset").GetDouble(), 2);
            Assert.Equal(2 * sb.Segments.Count, j.GetProperty("controlPoints").GetInt32());
            Assert.Equal(2 * sb.Segments.Count, j.GetProperty("numberOfControlPoints").GetInt32());
            Assert.Equal(80, j.GetProperty("leafPairs").GetInt32());
            Assert.Equal(sb.Beam.GantryDeg, j.GetProperty("gantry").GetDouble(), 6);
            double[] weights = [.. j.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble())];
            Assert.Equal(0, weights[0]);
            Assert.Equal(1, weights[^1], 9);
            // Each segment's share of the beam: the weight step of its control-point pair.
            for (int s = 0; s < sb.Segments.Count; s++)
            {
                Assert.Equal(sb.Segments[s].MonitorUnits / sb.MonitorUnits, weights[2 * s + 1] - weights[2 * s], 5);
                double[] leaves = [.. j.GetProperty("leafPositions")[2 * s].EnumerateArray().Select(e => e.GetDouble())];
                Assert.Equal(sb.Segments[s].BankAMm, leaves[..80]);
                Assert.Equal(sb.Segments[s].BankBMm, leaves[80..]);
            }
        }
    }
}
