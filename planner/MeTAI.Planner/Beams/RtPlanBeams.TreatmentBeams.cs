using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Planner.Beams;

// Each treatment beam as the room is set up for it: static angles, isocentre, MU, patient position.
public static partial class RtPlanBeams
{
    /// <summary>
    /// The treatment beams of the RT Plan in <paramref name="path"/> (one written by <c>metai plan</c>, pydicom's
    /// rtplan.dcm, a TPS export): per treatment beam with MU, the first control point's gantry, collimator and couch
    /// angles and isocentre, and the fraction's Beam Meterset. Set-up and verification beams, and beams the fraction
    /// gives no MU, are left out. Errors name the file and the beam.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ArgumentException">A beam that cannot be set up as one static pose (an arc, a patient position
    /// other than head-first supine, a first control point without its angles or isocentre), or no treatment beam with MU.</exception>
    public static IReadOnlyList<TreatmentBeam> TreatmentBeams(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"RTPLAN {path} does not exist.", path);
        }

        return TreatmentBeams(RtPlanReader.Read(path), "RTPLAN " + path);
    }

    /// <summary>The treatment beams of <paramref name="plan"/> (see <see cref="TreatmentBeams(string)"/>); <paramref name="source"/> names the plan in errors.</summary>
    /// <exception cref="ArgumentException">A beam that cannot be set up as one static pose, or no treatment beam with MU.</exception>
    public static IReadOnlyList<TreatmentBeam> TreatmentBeams(RtPlan plan, string source = "RTPLAN")
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        var beams = new List<TreatmentBeam>();
        foreach (RtBeam beam in plan.Beams)
        {
            string id = string.Create(CultureInfo.InvariantCulture, $"{source}: beam {beam.Number} ('{beam.Name}')");
            double mu = plan.MetersetMu(beam.Number) ?? 0;
            if (beam.TreatmentDeliveryType is not ("TREATMENT" or "") || mu <= 0)
            {
                // Set-up and verification beams, and beams the fraction gives no MU, are not delivered.
                continue;
            }

            string position = PatientPosition(plan, beam);
            if (position != "HFS")
            {
                throw new ArgumentException($"{id}: patient position {position}; the beam-pose mapping is for head-first supine (HFS) only.");
            }

            beams.Add(new TreatmentBeam(StaticPose(beam, id), mu, position));
        }

        return beams.Count > 0 ? beams : throw new ArgumentException($"{source}: no treatment beam with MU in its fraction group.");
    }

    private static string PatientPosition(RtPlan plan, RtBeam beam) =>
        beam.ReferencedPatientSetupNumber is int setup
            ? plan.PatientSetups.FirstOrDefault(p => p.Number == setup)?.PatientPosition ?? "HFS"
            : plan.PatientSetups.Count > 0 ? plan.PatientSetups[0].PatientPosition : "HFS";

    private static PlanBeam StaticPose(RtBeam beam, string id)
    {
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
        return new PlanBeam(beam.Number, beam.Name, gantry, collimator, couch, isocenter);
    }

    private static ArgumentException Missing(string id, string attribute) => new($"{id}: the first control point has no {attribute}.");
}
