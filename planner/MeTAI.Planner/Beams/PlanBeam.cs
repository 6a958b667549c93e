using MeTAI.Core.Geometry;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

/// <summary>
/// One static treatment beam of a plan: IEC 61217 angles in degrees, the isocentre in LPS mm, and how the patient lies
/// (the same angles enter through other anatomy for another position).
/// </summary>
/// <param name="Number">Beam Number in the RTPLAN (1-based, unique).</param>
/// <param name="Name">Beam name, e.g. <c>G051</c>.</param>
/// <param name="GantryDeg">Gantry angle.</param>
/// <param name="CollimatorDeg">Collimator (beam limiting device) angle.</param>
/// <param name="CouchDeg">Couch (patient support) angle.</param>
/// <param name="IsocenterLps">Isocentre, LPS mm.</param>
/// <param name="Position">Patient Position of the CT and plan (HFS, HFP, FFS, …).</param>
public sealed record PlanBeam(int Number, string Name, double GantryDeg, double CollimatorDeg, double CouchDeg, Vec3 IsocenterLps, PatientPosition Position)
{
    /// <summary>The beam frame for a source at <paramref name="sadMm"/>.</summary>
    public BeamGeometry Geometry(double sadMm) => new(GantryDeg, CollimatorDeg, CouchDeg, IsocenterLps, sadMm, Position);
}
