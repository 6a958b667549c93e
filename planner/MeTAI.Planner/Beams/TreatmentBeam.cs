using MeTAI.Core.Geometry;

namespace MeTAI.Planner.Beams;

/// <summary>
/// A treatment beam of an RT Plan as the room is set up for it (<see cref="RtPlanBeams.TreatmentBeams(string)"/>): the
/// first control point's angles and isocentre, the beam's MU per fraction and the patient position.
/// </summary>
/// <param name="Beam">Number, name, IEC 61217 gantry/collimator/couch angles (degrees) and isocentre (LPS mm).</param>
/// <param name="MonitorUnits">Beam Meterset of the fraction group, MU per fraction.</param>
/// <param name="PatientPosition">Patient Position of the beam's patient setup (HFS: the HIL's beam-pose mapping refuses others).</param>
public sealed record TreatmentBeam(PlanBeam Beam, double MonitorUnits, PatientPosition PatientPosition);
