using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Robotics.Radiotherapy;

namespace MeTAI.Cli.Hil;

/// <summary>
/// Reads an RTPLAN (one written by <c>metai plan</c>, pydicom's rtplan.dcm, a TPS export) into the beams the HIL
/// radiotherapy delivery moves the arm to: per treatment beam with MU, the first control point's gantry, collimator and
/// couch angles and isocentre, and the fraction's beam meterset. The HIL library cannot read DICOM (it references Core and
/// Robotics only), so this lives at the composition root.
/// </summary>
public static class RtPlanBeamReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">A beam the delivery cannot follow (an arc, a patient position other than
    /// head-first supine, a first control point without its angles or isocentre), or no treatment beam with MU.</exception>
    public static IReadOnlyList<BeamPose> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"RTPLAN {path} does not exist.", path);
        }

        RtPlan plan = RtPlanReader.Read(path);
        var beams = new List<BeamPose>();
        foreach (RtBeam beam in plan.Beams)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"RTPLAN {path}: beam {beam.Number} ('{beam.Name}')");
            double mu = plan.MetersetMu(beam.Number) ?? 0;
            if (beam.TreatmentDeliveryType is not ("TREATMENT" or "") || mu <= 0)
            {
                // Set-up and verification beams, and beams the fraction gives no MU, are not delivered.
                continue;
            }

            string position = beam.ReferencedPatientSetupNumber is int setup
                ? plan.PatientSetups.FirstOrDefault(p => p.Number == setup)?.PatientPosition ?? "HFS"
                : plan.PatientSetups.Count > 0 ? plan.PatientSetups[0].PatientPosition : "HFS";
            if (position != "HFS")
            {
                throw new ArgumentException($"{id}: patient position {position}; the beam-pose mapping is for head-first supine (HFS) only.");
            }

            if (beam.ControlPoints.Count == 0)
            {
                throw new ArgumentException($"{id}: no control points.");
            }

            RtControlPoint cp = beam.ControlPoints[0];
            if (cp.GantryRotationDirection is "CW" or "CC")
            {
                throw new ArgumentException($"{id}: an arc (gantry rotation {cp.GantryRotationDirection}); the HIL delivery moves the arm to static beam poses only.");
            }

            double gantry = cp.GantryDeg ?? throw Missing(id, "Gantry Angle (300A,011E)");
            double collimator = cp.CollimatorDeg ?? throw Missing(id, "Beam Limiting Device Angle (300A,0120)");
            double couch = cp.CouchDeg ?? throw Missing(id, "Patient Support Angle (300A,0122)");
            Vec3 isocenter = cp.IsocenterLps ?? throw Missing(id, "Isocenter Position (300A,012C)");
            beams.Add(new BeamPose(beam.Number, beam.Name, gantry, collimator, couch, isocenter, mu));
        }

        return beams.Count > 0 ? beams : throw new ArgumentException($"RTPLAN {path}: no treatment beam with MU in its fraction group.");
    }

    private static ArgumentException Missing(string id, string attribute) => new($"{id}: the first control point has no {attribute}.");
}
