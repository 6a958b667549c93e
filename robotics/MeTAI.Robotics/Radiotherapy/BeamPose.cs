using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Radiotherapy;

/// <summary>
/// One beam of a plan as the arm needs it (<see cref="BeamPoseMapper"/> turns it into the beam device's pose). Robotics
/// does not read DICOM: a composition root reads the RTPLAN and hands these over, or a HIL scenario lists them inline.
/// IEC 61217 angles in degrees, isocentre in patient LPS mm.
/// </summary>
/// <param name="Number">Beam number.</param>
/// <param name="Name">Beam name.</param>
/// <param name="GantryDeg">Gantry angle.</param>
/// <param name="CollimatorDeg">Collimator (beam limiting device) angle.</param>
/// <param name="CouchDeg">Couch (patient support) angle.</param>
/// <param name="IsocenterLps">Isocentre (patient LPS mm).</param>
/// <param name="Mu">Monitor units.</param>
public sealed record BeamPose(int Number, string Name, double GantryDeg, double CollimatorDeg, double CouchDeg, Vec3 IsocenterLps, double Mu);
