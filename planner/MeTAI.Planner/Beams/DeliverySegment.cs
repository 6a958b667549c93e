using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// One deliverable piece of a beam: a fixed geometry and an open aperture (jaws ∩ MLC) that receives
/// <see cref="MonitorUnits"/> MU — the part of a beam between two control points.
/// </summary>
/// <param name="BeamNumber">Beam Number of the RTPLAN beam.</param>
/// <param name="BeamName">Beam name.</param>
/// <param name="GantryDeg">Gantry angle, degrees.</param>
/// <param name="CollimatorDeg">Collimator angle, degrees.</param>
/// <param name="CouchDeg">Couch angle, degrees.</param>
/// <param name="IsocenterLps">Isocentre, LPS mm.</param>
/// <param name="SadMm">Source-axis distance, mm.</param>
/// <param name="Rectangles">Open rectangles in the isocentre plane (beam-limiting-device frame, mm), weight 1.</param>
/// <param name="MonitorUnits">MU of this segment (per fraction unless scaled).</param>
/// <param name="Position">Patient Position the angles are meant for.</param>
public sealed record DeliverySegment(
    int BeamNumber, string BeamName, double GantryDeg, double CollimatorDeg, double CouchDeg, Vec3 IsocenterLps, double SadMm,
    IReadOnlyList<ApertureRect> Rectangles, double MonitorUnits, PatientPosition Position)
{
    /// <summary>The beam frame of this segment (angles, isocentre, SAD, patient position).</summary>
    public BeamGeometry Geometry() => new(GantryDeg, CollimatorDeg, CouchDeg, IsocenterLps, SadMm, Position);

    /// <summary>Open area at the isocentre, mm².</summary>
    public double OpenAreaMm2 => Rectangles.Sum(r => r.AreaMm2);

    /// <summary>True when this segment's geometry equals <paramref name="other"/>'s (so they can share one MC run).</summary>
    public bool SameGeometry(DeliverySegment other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return GantryDeg == other.GantryDeg && CollimatorDeg == other.CollimatorDeg && CouchDeg == other.CouchDeg
            && IsocenterLps == other.IsocenterLps && SadMm == other.SadMm && Position == other.Position;
    }
}
