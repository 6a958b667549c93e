using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dosimetry.Beams;

namespace MeTAI.Planner.Beams;

// Each treatment beam as the room is set up for it: static angles, isocentre, MU, patient position.
public static partial class RtPlanBeams
{
    /// <summary>
    /// The treatment beams of the RT Plan in <paramref name="path"/> (one written by <c>metai plan</c>, pydicom's
    /// rtplan.dcm, a TPS export): per treatment beam with MU, the first control point's gantry, collimator and couch
    /// angles and isocentre, and the fraction's Beam Meterset. Set-up and verification beams, and beams the fraction
    /// gives no MU, are left out. A beam that the dose path would refuse (a wedge, block, compensator, bolus, FFF, an
    /// energy no beam model in <c>configs/beams</c> is commissioned for, electrons, …) is refused here too. Errors name
    /// the file and the beam.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ArgumentException">A beam that cannot be set up as one static pose (an arc, a patient position
    /// other than head-first supine, a first control point without its angles or isocentre), a beam attribute that is
    /// not modelled, or no treatment beam with MU.</exception>
    public static IReadOnlyList<TreatmentBeam> TreatmentBeams(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"RTPLAN {path} does not exist.", path);
        }

        return TreatmentBeams(RtPlanReader.Read(path), "RTPLAN " + path);
    }

    /// <summary>
    /// The treatment beams of <paramref name="plan"/> (see <see cref="TreatmentBeams(string)"/>); <paramref name="source"/>
    /// names the plan in errors; <paramref name="commissionedEnergiesMV"/> are the nominal energies of the beam models
    /// (null: every model in <c>configs/beams</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A beam that cannot be set up as one static pose, a beam attribute that is not modelled, or no treatment beam with MU.</exception>
    public static IReadOnlyList<TreatmentBeam> TreatmentBeams(RtPlan plan, string source = "RTPLAN", IReadOnlyList<double>? commissionedEnergiesMV = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        IReadOnlyList<double> energies = commissionedEnergiesMV ?? [.. BeamModel.LoadAll(ConfigFiles.PathOf("beams")).Select(m => m.NominalEnergyMV)];
        CheckSetups(plan, source);
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

            CheckModelled(beam, id, energies);
            PatientPosition position = BeamPosition(plan, beam, id);
            if (position != PatientPosition.HeadFirstSupine)
            {
                // The arm's registration (robotics BeamPoseMapper, configs/robots) is for a supine head-first patient;
                // another position needs its own registration, which is not modelled yet.
                throw new ArgumentException($"{id}: Patient Position (0018,5100) {position.Code()} ({position.Describe()}); the HIL beam-pose mapping is for head-first supine (HFS) only.");
            }

            beams.Add(new TreatmentBeam(StaticPose(beam, id, position), mu, position));
        }

        return beams.Count > 0 ? beams : throw new ArgumentException($"{source}: no treatment beam with MU in its fraction group.");
    }

    private static PlanBeam StaticPose(RtBeam beam, string id, PatientPosition position)
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
        return new PlanBeam(beam.Number, beam.Name, gantry, collimator, couch, isocenter, position);
    }

    private static ArgumentException Missing(string id, string attribute) => new($"{id}: the first control point has no {attribute}.");
}
