using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;
using MeTAI.Dosimetry.Beams;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Output;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Tests.Sequencing;

/// <summary>
/// Sequencing hands the final dose its delivery segments directly (<see cref="SequencedBeam.DeliverySegments"/>); the
/// planner used to build an RT Plan mid-pipeline and read it back (<see cref="RtPlanBeams.Segments"/>). These tests
/// prove the two agree — jaws and leaves (as open rectangles), MU, angles, isocentre — to the bit on the RT Plan model,
/// and to the DICOM text's precision on the rtplan.dcm written (PlanPipelineTests checks a full plan's the same way).
/// </summary>
public class DeliverySegmentsTests
{
    private const double SadMm = 1000;

    /// <summary>
    /// A real sequencing result: the prostate PTV at 5 mm, seven coplanar beams 360/7° apart (angles that are not whole
    /// degrees), beamlets of 5 mm covering the PTV with random weights, sequenced at 10 levels with a 2 MU minimum.
    /// </summary>
    private static (PlanCase Case, List<SequencedBeam> Beams) ProstateSequencing()
    {
        PlanCase c = PlanCase.FromPhantom(PhantomLibrary.Build("prostate", 5));
        var rng = new Random(11);
        var mlc = MlcModel.Uniform(5, 80);
        var beams = new List<SequencedBeam>();
        foreach (PlanBeam b in BeamArrangement.Coplanar(7, c.Structure("PTV").Mask.CentroidLps(), PatientPosition.HeadFirstSupine))
        {
            BeamletGrid grid = BeamletGrid.Cover(b, SadMm, c.Structure("PTV").Mask, 5, 5);
            double[] w = [.. Enumerable.Range(0, grid.Count).Select(_ => 40 * rng.NextDouble())];
            beams.Add(LeafSequencer.Sequence(grid, w, mlc, new SequencingOptions { Levels = 10, MinSegmentMu = 2 }));
        }

        return (c, beams);
    }

    [Fact]
    public void DeliverySegments_RealSequencing_EqualTheRtPlanReadBackToTheBit()
    {
        (_, List<SequencedBeam> beams) = ProstateSequencing();
        List<DeliverySegment> direct = [.. beams.SelectMany(b => b.DeliverySegments(SadMm))];
        RtPlan plan = RtPlanBuilder.Build(beams, new Prescription("PTV", 75.6, 42), "PROSTATE", SadMm);
        Assert.True(direct.Count > 50, $"{direct.Count} segments");
        Assert.Contains(direct, s => s.GantryDeg != Math.Round(s.GantryDeg));
        AssertSameSegments(RtPlanBeams.Segments(plan, "RTPLAN", 6, null), direct, tolerance: 0);
    }

    [Fact]
    public void DeliverySegments_RealSequencing_EqualTheWrittenRtPlanReadBack()
    {
        (PlanCase c, List<SequencedBeam> beams) = ProstateSequencing();
        string dir = TestData.TempDir("delivery");
        RtPlan plan = RtPlanBuilder.Build(beams, new Prescription("PTV", 75.6, 42), "PROSTATE", SadMm);
        RtStudyWriter.Write(dir, c.Ct, [.. c.Structures.Select(s => new RtRoiMask(s.Mask, s.InterpretedType, s.Color))], plan);
        RtPlan read = RtPlanReader.Read(Path.Combine(dir, RtStudyWriter.PlanFile));
        AssertSameSegments(RtPlanBeams.Segments(read, "RTPLAN", 6, null), [.. beams.SelectMany(b => b.DeliverySegments(SadMm))], tolerance: 1e-9);
    }

    [Fact]
    public void DeliverySegments_MuAreTheRtPlansMetersetSharedByItsWeights()
    {
        (_, List<SequencedBeam> beams) = ProstateSequencing();
        foreach (SequencedBeam b in beams)
        {
            IReadOnlyList<DeliverySegment> d = b.DeliverySegments(SadMm);
            Assert.Equal(b.Segments.Count, d.Count);
            Assert.Equal(b.MetersetMu, d.Sum(s => s.MonitorUnits), 9);
            for (int s = 0; s < d.Count; s++)
            {
                Assert.Equal(b.Segments[s].MonitorUnits, d[s].MonitorUnits, 1e-3 + 1e-6 * b.MonitorUnits);
            }
        }
    }

    /// <summary>Same beams, angles, isocentres, SAD, open rectangles (jaws ∩ leaves) and MU, to <paramref name="tolerance"/> (0: bit for bit).</summary>
    internal static void AssertSameSegments(IReadOnlyList<DeliverySegment> fromPlan, IReadOnlyList<DeliverySegment> direct, double tolerance)
    {
        Assert.Equal(fromPlan.Count, direct.Count);
        for (int n = 0; n < direct.Count; n++)
        {
            DeliverySegment a = fromPlan[n], b = direct[n];
            string at = $"segment {n} (beam {b.BeamNumber})";
            Assert.True((a.BeamNumber, a.BeamName) == (b.BeamNumber, b.BeamName), at);
            Same(a.GantryDeg, b.GantryDeg, tolerance, at + " gantry");
            Same(a.CollimatorDeg, b.CollimatorDeg, tolerance, at + " collimator");
            Same(a.CouchDeg, b.CouchDeg, tolerance, at + " couch");
            Same(a.IsocenterLps.X, b.IsocenterLps.X, tolerance, at + " isocentre x");
            Same(a.IsocenterLps.Y, b.IsocenterLps.Y, tolerance, at + " isocentre y");
            Same(a.IsocenterLps.Z, b.IsocenterLps.Z, tolerance, at + " isocentre z");
            Same(a.SadMm, b.SadMm, tolerance, at + " SAD");
            Same(a.MonitorUnits, b.MonitorUnits, tolerance * Math.Max(1, b.MonitorUnits), at + " MU");
            Assert.True(a.Rectangles.Count == b.Rectangles.Count, $"{at}: {a.Rectangles.Count} rectangles read back, {b.Rectangles.Count} direct");
            for (int r = 0; r < b.Rectangles.Count; r++)
            {
                ApertureRect p = a.Rectangles[r], q = b.Rectangles[r];
                Same(p.X0Mm, q.X0Mm, tolerance, $"{at} rectangle {r} x0");
                Same(p.X1Mm, q.X1Mm, tolerance, $"{at} rectangle {r} x1");
                Same(p.Y0Mm, q.Y0Mm, tolerance, $"{at} rectangle {r} y0");
                Same(p.Y1Mm, q.Y1Mm, tolerance, $"{at} rectangle {r} y1");
                Same(p.Weight, q.Weight, tolerance, $"{at} rectangle {r} weight");
            }
        }
    }

    private static void Same(double expected, double actual, double tolerance, string what) =>
        Assert.True(tolerance == 0 ? expected.Equals(actual) : Math.Abs(expected - actual) <= tolerance, $"{what}: {expected:R} read back, {actual:R} direct");
}
