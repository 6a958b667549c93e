using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;

namespace MeTAI.Planner.Beams;

// What the engine models, in one place: a photon beam of the commissioned energy and standard (flattened) fluence,
// shaped by jaws and MLC, on a couch without pitch, roll or eccentric rotation. Every other attribute of PS3.3 C.8.8.14
// that changes the dose is refused here, naming the beam, the attribute with its tag and the value.
public static partial class RtPlanBeams
{
    private const double AngleToleranceDeg = 1e-3;

    /// <summary>Refuses whatever of <paramref name="beam"/> the engine does not model; <paramref name="energiesMV"/> are the commissioned nominal energies.</summary>
    private static void CheckModelled(RtBeam beam, string id, IReadOnlyList<double> energiesMV)
    {
        CheckRadiation(beam, id);
        CheckEnergy(beam, id, energiesMV);
        CheckWedges(beam, id);
        CheckDevices(beam, id);
        CheckAngles(beam, id);
    }

    /// <summary>Shielding devices of a patient setup sit in the beams; the engine does not model them.</summary>
    private static void CheckSetups(RtPlan plan, string source)
    {
        foreach (RtPatientSetup setup in plan.PatientSetups)
        {
            if (setup.ShieldingDevices.Count > 0)
            {
                RtBeamAccessory d = setup.ShieldingDevices[0];
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{source}: patient setup {setup.Number}: Shielding Device Sequence (300A,01A0) holds {setup.ShieldingDevices.Count} device(s), the first Shielding Device Type (300A,01A2) {Text(d.Type)}, label '{d.Id}' — shielding devices in the beam are not modelled."));
            }
        }
    }

    /// <summary>The patient position of the beam's patient setup; refused when missing, unknown or ambiguous (HFS is not assumed).</summary>
    private static PatientPosition BeamPosition(RtPlan plan, RtBeam beam, string id)
    {
        if (plan.PatientSetups.Count == 0)
        {
            throw new ArgumentException($"{id}: the plan has no Patient Setup Sequence (300A,0180), so no Patient Position (0018,5100); the beam geometry depends on it (supported: {PatientPositions.SupportedCodes}; HFS is not assumed).");
        }

        RtPatientSetup setup;
        if (beam.ReferencedPatientSetupNumber is int number)
        {
            setup = plan.PatientSetups.FirstOrDefault(p => p.Number == number)
                ?? throw new ArgumentException($"{id}: Referenced Patient Setup Number (300C,006A) {number} is not in the Patient Setup Sequence (300A,0180), which has {string.Join(", ", plan.PatientSetups.Select(p => p.Number))}.");
        }
        else if (plan.PatientSetups.Count == 1)
        {
            setup = plan.PatientSetups[0];
        }
        else
        {
            throw new ArgumentException($"{id}: no Referenced Patient Setup Number (300C,006A) and the plan has {plan.PatientSetups.Count} patient setups; which position the beam is for is not known.");
        }

        return PatientPositions.Parse(setup.PatientPosition, $"{id}, patient setup {setup.Number}");
    }

    private static void CheckRadiation(RtBeam beam, string id)
    {
        if (beam.RadiationType != "PHOTON")
        {
            throw new ArgumentException(beam.RadiationType.Length == 0
                ? $"{id}: Radiation Type (300A,00C6) is empty; only PHOTON beams are modelled."
                : $"{id}: Radiation Type (300A,00C6) {beam.RadiationType} is not modelled (PHOTON only).");
        }

        if (beam.PrimaryDosimeterUnit is not ("MU" or ""))
        {
            throw new ArgumentException($"{id}: Primary Dosimeter Unit (300A,00B3) {beam.PrimaryDosimeterUnit} is not modelled (MU only).");
        }

        if (beam.HighDoseTechniqueType is not ("NORMAL" or ""))
        {
            throw new ArgumentException($"{id}: High-Dose Technique Type (300A,00C7) {beam.HighDoseTechniqueType} is not modelled (NORMAL only).");
        }

        if (beam.FluenceMode == "NON_STANDARD")
        {
            string what = beam.FluenceModeId is "FFF" ? "a flattening-filter-free beam" : "a non-standard fluence";
            throw new ArgumentException(
                $"{id}: Primary Fluence Mode Sequence (3002,0050): Fluence Mode (3002,0051) NON_STANDARD, Fluence Mode ID (3002,0052) '{beam.FluenceModeId}' — {what} is not modelled (the beam model is a flattened, STANDARD fluence beam).");
        }

        if (beam.FluenceMode is not ("STANDARD" or ""))
        {
            throw new ArgumentException($"{id}: Primary Fluence Mode Sequence (3002,0050): Fluence Mode (3002,0051) {beam.FluenceMode} is not a defined term (STANDARD or NON_STANDARD).");
        }
    }

    private static void CheckEnergy(RtBeam beam, string id, IReadOnlyList<double> energiesMV)
    {
        string commissioned = string.Join(", ", energiesMV.Select(e => Text(e) + " MV"));
        if (beam.ControlPoints.Count > 0 && beam.ControlPoints[0].NominalBeamEnergyMV is null)
        {
            throw new ArgumentException($"{id}: control point 0 has no Nominal Beam Energy (300A,0114); the commissioned energies are {commissioned}.");
        }

        foreach (RtControlPoint cp in beam.ControlPoints)
        {
            if (cp.NominalBeamEnergyMV is double e && !energiesMV.Any(m => Math.Abs(e - m) <= 0.05))
            {
                throw new ArgumentException($"{id}: control point {cp.Index}: Nominal Beam Energy (300A,0114) {Text(e)} MV is not commissioned (beam models: {commissioned}).");
            }
        }
    }

    private static void CheckWedges(RtBeam beam, string id)
    {
        if (beam.Wedges.Count == 0 && beam.NumberOfWedges is > 0)
        {
            throw new ArgumentException($"{id}: Number of Wedges (300A,00D0) {beam.NumberOfWedges} but no Wedge Sequence (300A,00D1) — wedges are not modelled.");
        }

        foreach (RtWedge w in beam.Wedges)
        {
            // A motorized wedge the control points keep OUT throughout does not touch the beam.
            bool placed = beam.ControlPoints.Any(cp => cp.WedgePositions.Any(p => p.WedgeNumber == w.Number));
            bool neverIn = placed && beam.ControlPoints.All(cp => cp.WedgePositions.All(p => p.WedgeNumber != w.Number || p.Position == "OUT"));
            if (neverIn)
            {
                continue;
            }

            string what = w.Type switch
            {
                "STANDARD" => "a physical wedge",
                "DYNAMIC" => "a dynamic wedge (enhanced dynamic or virtual: a jaw sweeping during the beam)",
                "MOTORIZED" => "a motorized wedge",
                _ => "a wedge",
            };
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{id}: Wedge Sequence (300A,00D1) wedge {w.Number}: Wedge Type (300A,00D3) {Text(w.Type)}, Wedge ID (300A,00D4) '{w.Id}', Wedge Angle (300A,00D5) {(w.AngleDeg is double a ? Text(a) + "°" : "(none)")} — {what} is not modelled (jaws and MLC only)."));
        }
    }

    private static void CheckDevices(RtBeam beam, string id)
    {
        if (beam.Compensators.Count > 0 || beam.NumberOfCompensators is > 0)
        {
            RtCompensator? c = beam.Compensators.Count > 0 ? beam.Compensators[0] : null;
            throw new ArgumentException(c is null
                ? $"{id}: Number of Compensators (300A,00E0) {beam.NumberOfCompensators} — compensators are not modelled."
                : $"{id}: Compensator Sequence (300A,00E3) compensator {c.Number}: Compensator Type (300A,00EE) {Text(c.Type)}, Compensator ID (300A,00E5) '{c.Id}' — compensators are not modelled.");
        }

        if (beam.Boli.Count > 0 || beam.NumberOfBoli is > 0)
        {
            RtBolus? b = beam.Boli.Count > 0 ? beam.Boli[0] : null;
            throw new ArgumentException(b is null
                ? $"{id}: Number of Boli (300A,00ED) {beam.NumberOfBoli} — a bolus is not modelled (the dose is computed on the CT's HU, with no density override)."
                : $"{id}: Referenced Bolus Sequence (300C,00B0): Referenced ROI Number (3006,0084) {(b.ReferencedRoiNumber is int r ? r.ToString(CultureInfo.InvariantCulture) : "(none)")}, Bolus ID (300A,00DC) '{b.Id}' — a bolus is not modelled (the dose is computed on the CT's HU, with no density override).");
        }

        if (beam.Blocks.Count > 0 || beam.NumberOfBlocks is > 0)
        {
            RtBlock? b = beam.Blocks.Count > 0 ? beam.Blocks[0] : null;
            throw new ArgumentException(b is null
                ? $"{id}: Number of Blocks (300A,00F0) {beam.NumberOfBlocks} — blocks are not modelled."
                : $"{id}: Block Sequence (300A,00F4) block {b.Number}: Block Type (300A,00F8) {Text(b.Type)}, Block Name (300A,00FE) '{b.Name}', Block Tray ID (300A,00F5) '{b.TrayId}' — blocks are not modelled (jaws and MLC only).");
        }

        if (beam.Applicators.Count > 0)
        {
            RtApplicator a = beam.Applicators[0];
            throw new ArgumentException($"{id}: Applicator Sequence (300A,0107): Applicator Type (300A,0109) {Text(a.Type)}, Applicator ID (300A,0108) '{a.Id}' — applicators are not modelled.");
        }

        if (beam.OtherAccessories.Count > 0)
        {
            RtBeamAccessory a = beam.OtherAccessories[0];
            throw new ArgumentException($"{id}: {a.Sequence} {a.Tag}: type {Text(a.Type)}, ID '{a.Id}' — this device is not modelled.");
        }
    }

    /// <summary>Table-top pitch, roll and eccentric rotation and gantry pitch move the beam in ways the geometry does not follow.</summary>
    private static void CheckAngles(RtBeam beam, string id)
    {
        foreach (RtControlPoint cp in beam.ControlPoints)
        {
            CheckZero(cp.TableTopPitchDeg, "Table Top Pitch Angle (300A,0140)", cp, id);
            CheckZero(cp.TableTopRollDeg, "Table Top Roll Angle (300A,0144)", cp, id);
            CheckZero(cp.TableTopEccentricDeg, "Table Top Eccentric Angle (300A,0125)", cp, id);
            CheckZero(cp.GantryPitchDeg, "Gantry Pitch Angle (300A,014A)", cp, id);
        }
    }

    private static void CheckZero(double? angleDeg, string attribute, RtControlPoint cp, string id)
    {
        if (angleDeg is not double a)
        {
            return;
        }

        double n = DeliveryGeometry.NormalizedDeg(a);
        if (Math.Min(n, 360 - n) > AngleToleranceDeg)
        {
            throw new ArgumentException($"{id}: control point {cp.Index}: {attribute} {Text(a)}° is not modelled (0 only).");
        }
    }

    private static string Text(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Text(string s) => s.Length == 0 ? "(empty)" : s;
}
