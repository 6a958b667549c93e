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
}
