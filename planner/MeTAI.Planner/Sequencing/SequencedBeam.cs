using MeTAI.Planner.Beams;

namespace MeTAI.Planner.Sequencing;

/// <summary>A beam as the machine delivers it: static jaws and a list of MLC segments with their MU per fraction.</summary>
/// <param name="Beam">The beam.</param>
/// <param name="Mlc">The MLC.</param>
/// <param name="JawX1Mm">X1 jaw, mm.</param>
/// <param name="JawX2Mm">X2 jaw, mm.</param>
/// <param name="JawY1Mm">Y1 jaw, mm.</param>
/// <param name="JawY2Mm">Y2 jaw, mm.</param>
/// <param name="Segments">Segments in delivery order.</param>
public sealed record SequencedBeam(PlanBeam Beam, MlcModel Mlc, double JawX1Mm, double JawX2Mm, double JawY1Mm, double JawY2Mm, IReadOnlyList<Segment> Segments)
{
    /// <summary>Beam MU per fraction.</summary>
    public double MonitorUnits => Segments.Sum(s => s.MonitorUnits);

    /// <summary>The Beam Meterset an RT Plan records: <see cref="MonitorUnits"/> to 0.001 MU.</summary>
    public double MetersetMu => Math.Round(MonitorUnits, 3);

    /// <summary>
    /// The Cumulative Meterset Weights an RT Plan records at the segment boundaries, one more than segments: 0, then the
    /// MU delivered so far over the beam's MU to 10⁻⁶, the last exactly 1.
    /// </summary>
    public double[] CumulativeMetersetWeights()
    {
        double total = MonitorUnits;
        var weights = new double[Segments.Count + 1];
        double cum = 0;
        for (int s = 0; s < Segments.Count; s++)
        {
            cum += Segments[s].MonitorUnits;
            weights[s + 1] = s == Segments.Count - 1 ? 1.0 : Math.Round(cum / total, 6);
        }

        return weights;
    }

    /// <summary>
    /// The segments as the machine delivers them for a source at <paramref name="sadMm"/>: each segment's open
    /// rectangles (jaws ∩ leaves) and its MU as the beam's RT Plan records them (weight step × Beam Meterset), the
    /// gantry angle in [0, 360). These are exactly what <see cref="RtPlanBeams.Segments"/> reads back from the plan
    /// <c>RtPlanBuilder</c> writes for this beam, without the round trip.
    /// </summary>
    public IReadOnlyList<DeliverySegment> DeliverySegments(double sadMm)
    {
        if (Segments.Count == 0)
        {
            return [];
        }

        double meterset = MetersetMu;
        double[] weights = CumulativeMetersetWeights();
        double gantryDeg = DeliveryGeometry.NormalizedDeg(Beam.GantryDeg);
        var list = new List<DeliverySegment>(Segments.Count);
        for (int s = 0; s < Segments.Count; s++)
        {
            Segment seg = Segments[s];
            var rects = DeliveryGeometry.Rectangles(JawX1Mm, JawX2Mm, JawY1Mm, JawY2Mm, seg.BankAMm, seg.BankBMm, Mlc.Boundaries, leavesAlongY: false);
            list.Add(new DeliverySegment(Beam.Number, Beam.Name, gantryDeg, Beam.CollimatorDeg, Beam.CouchDeg, Beam.IsocenterLps, sadMm, rects, (weights[s + 1] - weights[s]) * meterset, Beam.Position));
        }

        return list;
    }
}
