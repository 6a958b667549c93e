using System.Globalization;
using MeTAI.Dicom.Rt;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Output;

/// <summary>
/// Writes sequenced beams as a DICOM RT Plan: per beam ASYMX/ASYMY jaws and an MLCX with the model's leaf
/// boundaries; step-and-shoot control points in pairs (segment s from cumulative weight c_s to c_{s+1} with the same
/// leaves; the leaves move between pairs with the beam off), cumulative weights normalised to 1; the fraction group
/// holds each beam's MU per fraction; the dose reference the prescription.
/// </summary>
public static class RtPlanBuilder
{
    /// <summary>Machine name written into the plan.</summary>
    public const string MachineName = "METAI-6MV";

    /// <summary>The RT Plan for <paramref name="beams"/> (energy <paramref name="energyMV"/>, SAD <paramref name="sadMm"/>).</summary>
    public static RtPlan Build(IReadOnlyList<SequencedBeam> beams, Prescription prescription, string label, double sadMm = 1000, double energyMV = 6, string? structureSetUid = null)
    {
        ArgumentNullException.ThrowIfNull(beams);
        ArgumentNullException.ThrowIfNull(prescription);
        var rtBeams = new List<RtBeam>();
        var referenced = new List<RtReferencedBeam>();
        foreach (SequencedBeam sb in beams)
        {
            if (sb.Segments.Count == 0)
            {
                continue;
            }

            double total = sb.MonitorUnits;
            var cps = new List<RtControlPoint>();
            double cum = 0;
            MlcModel mlc = sb.Mlc;
            for (int s = 0; s < sb.Segments.Count; s++)
            {
                Segment seg = sb.Segments[s];
                double[] leaves = [.. seg.BankAMm, .. seg.BankBMm];
                var mlcPos = new RtDevicePosition { Type = "MLCX", PositionsMm = leaves };
                IReadOnlyList<RtDevicePosition> positions = s == 0
                    ? [new RtDevicePosition { Type = "ASYMX", PositionsMm = [sb.JawX1Mm, sb.JawX2Mm] }, new RtDevicePosition { Type = "ASYMY", PositionsMm = [sb.JawY1Mm, sb.JawY2Mm] }, mlcPos]
                    : [mlcPos];
                cps.Add(s == 0
                    ? new RtControlPoint
                    {
                        Index = 0,
                        CumulativeMetersetWeight = 0,
                        NominalBeamEnergyMV = energyMV,
                        DoseRateMuPerMin = 600,
                        GantryDeg = sb.Beam.GantryDeg,
                        GantryRotationDirection = "NONE",
                        CollimatorDeg = sb.Beam.CollimatorDeg,
                        CollimatorRotationDirection = "NONE",
                        CouchDeg = sb.Beam.CouchDeg,
                        CouchRotationDirection = "NONE",
                        TableTopEccentricDeg = 0,
                        TableTopEccentricRotationDirection = "NONE",
                        TableTopPitchDeg = 0,
                        TableTopRollDeg = 0,
                        IsocenterLps = sb.Beam.IsocenterLps,
                        DevicePositions = positions,
                    }
                    : new RtControlPoint { Index = cps.Count, CumulativeMetersetWeight = Round(cum / total), DevicePositions = positions });
                cum += seg.MonitorUnits;
                cps.Add(new RtControlPoint { Index = cps.Count, CumulativeMetersetWeight = s == sb.Segments.Count - 1 ? 1.0 : Round(cum / total), DevicePositions = [mlcPos] });
            }

            rtBeams.Add(new RtBeam
            {
                Number = sb.Beam.Number,
                Name = sb.Beam.Name,
                Description = string.Create(CultureInfo.InvariantCulture, $"step-and-shoot IMRT, {sb.Segments.Count} segments"),
                Type = "DYNAMIC",
                RadiationType = "PHOTON",
                TreatmentDeliveryType = "TREATMENT",
                TreatmentMachineName = MachineName,
                PrimaryDosimeterUnit = "MU",
                SourceAxisDistanceMm = sadMm,
                BeamLimitingDevices =
                [
                    new RtBeamLimitingDevice { Type = "ASYMX", NumberOfPairs = 1 },
                    new RtBeamLimitingDevice { Type = "ASYMY", NumberOfPairs = 1 },
                    new RtBeamLimitingDevice { Type = "MLCX", NumberOfPairs = mlc.Pairs, LeafBoundariesMm = mlc.Boundaries },
                ],
                FinalCumulativeMetersetWeight = 1.0,
                ControlPoints = cps,
                ReferencedPatientSetupNumber = 1,
            });
            referenced.Add(new RtReferencedBeam { BeamNumber = sb.Beam.Number, MetersetMu = Math.Round(total, 3) });
        }

        return new RtPlan
        {
            Label = label.Length > 16 ? label[..16] : label,
            Name = label,
            Description = string.Create(CultureInfo.InvariantCulture, $"MeTAI IMRT: {prescription.DoseGy} Gy to {prescription.Target} in {prescription.Fractions} fractions"),
            Intent = "CURATIVE",
            Geometry = "PATIENT",
            ReferencedStructureSetUid = structureSetUid ?? "1.2.826.0.1.3680043.10.543.0",
            DoseReferences =
            [
                new RtDoseReference
                {
                    Number = 1,
                    StructureType = "SITE",
                    Description = prescription.Target,
                    Type = "TARGET",
                    TargetPrescriptionDoseGy = prescription.DoseGy,
                },
            ],
            FractionGroups = [new RtFractionGroup { Number = 1, FractionsPlanned = prescription.Fractions, ReferencedBeams = referenced }],
            Beams = rtBeams,
            PatientSetups = [new RtPatientSetup { Number = 1, PatientPosition = "HFS" }],
        };
    }

    private static double Round(double v) => Math.Round(v, 6);
}
