using System.Globalization;
using MeTAI.Core.Geometry;
using MeTAI.Dicom.Rt;
using MeTAI.Planner.Plans;
using MeTAI.Planner.Sequencing;

namespace MeTAI.Planner.Output;

/// <summary>
/// The one RT Plan builder. Writes sequenced beams as a DICOM RT Plan: per beam ASYMX/ASYMY jaws and an MLCX with the
/// model's leaf boundaries; step-and-shoot control points in pairs (segment s from cumulative weight c_s to c_{s+1} with
/// the same leaves; the leaves move between pairs with the beam off), cumulative weights normalised to 1
/// (<see cref="SequencedBeam.CumulativeMetersetWeights"/>); the fraction group holds each beam's MU per fraction
/// (<see cref="SequencedBeam.MetersetMu"/>); the dose reference the prescription. Open fields are one segment whose
/// leaves stand open over the jaws (<see cref="OpenField"/>).
/// </summary>
public static class RtPlanBuilder
{
    /// <summary>Machine name written into the plan.</summary>
    public const string MachineName = "METAI-6MV";

    /// <summary>The RT Plan of a planned case (MU per fraction after normalisation), labelled after the case.</summary>
    public static RtPlan Build(PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Build(result.Sequenced, result.Protocol.Prescription, Label(result.Case.Name), result.SadMm);
    }

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

            rtBeams.Add(Beam(sb, sadMm, energyMV));
            referenced.Add(new RtReferencedBeam { BeamNumber = sb.Beam.Number, MetersetMu = sb.MetersetMu });
        }

        return new RtPlan
        {
            Label = Label(label),
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
            PatientSetups = [new RtPatientSetup { Number = 1, PatientPosition = Position(beams).Code() }],
        };
    }

    // The beams were arranged for one patient position (the CT's); the plan records it in its patient setup.
    private static PatientPosition Position(IReadOnlyList<SequencedBeam> beams)
    {
        PatientPosition position = beams.Count > 0 ? beams[0].Beam.Position : PatientPosition.HeadFirstSupine;
        foreach (SequencedBeam b in beams)
        {
            if (b.Beam.Position != position)
            {
                throw new ArgumentException($"Beams {beams[0].Beam.Number} and {b.Beam.Number} are for different patient positions ({position.Code()}, {b.Beam.Position.Code()}); one plan has one patient setup.", nameof(beams));
            }
        }

        return position;
    }

    /// <summary>
    /// The verification plan of one open field at gantry, collimator and couch 0 (what <c>metai dose --phantom</c>
    /// writes beside its dose): beam 1 "AP" with symmetric ASYMX/ASYMY jaws giving <paramref name="fieldXMm"/> ×
    /// <paramref name="fieldYMm"/> at the isocentre, no MLC, the source-to-surface distance on its first control point,
    /// and <paramref name="monitorUnits"/> MU in one fraction.
    /// </summary>
    public static RtPlan OpenField(double fieldXMm, double fieldYMm, Vec3 isocenterLps, double ssdMm, double monitorUnits, string name, string machineName, double sadMm)
    {
        double x = 0.5 * fieldXMm, y = 0.5 * fieldYMm;
        RtControlPoint cp0 = new()
        {
            Index = 0,
            CumulativeMetersetWeight = 0,
            NominalBeamEnergyMV = 6,
            GantryDeg = 0,
            GantryRotationDirection = "NONE",
            CollimatorDeg = 0,
            CollimatorRotationDirection = "NONE",
            CouchDeg = 0,
            CouchRotationDirection = "NONE",
            IsocenterLps = isocenterLps,
            SourceToSurfaceDistanceMm = ssdMm,
            DevicePositions = [Jaw("ASYMX", -x, x), Jaw("ASYMY", -y, y)],
        };
        RtControlPoint cp1 = new() { Index = 1, CumulativeMetersetWeight = 1 };
        return new RtPlan
        {
            Label = "OPEN FIELD",
            Name = name,
            Intent = "VERIFICATION",
            Beams =
            [
                new RtBeam
                {
                    Number = 1,
                    Name = "AP",
                    TreatmentMachineName = machineName,
                    SourceAxisDistanceMm = sadMm,
                    BeamLimitingDevices = [new RtBeamLimitingDevice { Type = "ASYMX" }, new RtBeamLimitingDevice { Type = "ASYMY" }],
                    ControlPoints = [cp0, cp1],
                    ReferencedPatientSetupNumber = 1,
                },
            ],
            FractionGroups = [new RtFractionGroup { FractionsPlanned = 1, ReferencedBeams = [new RtReferencedBeam { BeamNumber = 1, MetersetMu = monitorUnits }] }],
            PatientSetups = [new RtPatientSetup { Number = 1, PatientPosition = PatientPosition.HeadFirstSupine.Code() }],
        };
    }

    /// <summary>
    /// An RT Plan label (SH, at most 16 characters) from a case name: its ASCII letters, digits and hyphens in upper
    /// case (METAI when none). A longer name is shortened by design, not cut: its first 11 characters, a hyphen and 4
    /// hexadecimal digits of a hash of the whole name, so that two long names that start alike keep distinct labels.
    /// </summary>
    public static string Label(string caseName)
    {
        ArgumentNullException.ThrowIfNull(caseName);
        string s = new([.. caseName.ToUpperInvariant().Where(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-')]);
        if (s.Length <= 16)
        {
            return s.Length == 0 ? "METAI" : s;
        }

        byte[] hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(caseName));
        return string.Create(CultureInfo.InvariantCulture, $"{s[..11]}-{hash[0]:X2}{hash[1]:X2}");
    }

    private static RtBeam Beam(SequencedBeam sb, double sadMm, double energyMV)
    {
        MlcModel mlc = sb.Mlc;
        return new RtBeam
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
            ControlPoints = ControlPoints(sb, energyMV),
            ReferencedPatientSetupNumber = 1,
        };
    }

    /// <summary>Two control points per segment: the first (with jaws, angles and isocentre on the beam's first) at the weight before it, the second at the weight after it, both with its leaves.</summary>
    private static List<RtControlPoint> ControlPoints(SequencedBeam sb, double energyMV)
    {
        double[] weights = sb.CumulativeMetersetWeights();
        var cps = new List<RtControlPoint>();
        for (int s = 0; s < sb.Segments.Count; s++)
        {
            Segment seg = sb.Segments[s];
            var mlcPos = new RtDevicePosition { Type = "MLCX", PositionsMm = [.. seg.BankAMm, .. seg.BankBMm] };
            cps.Add(s == 0
                ? FirstControlPoint(sb, energyMV, [Jaw("ASYMX", sb.JawX1Mm, sb.JawX2Mm), Jaw("ASYMY", sb.JawY1Mm, sb.JawY2Mm), mlcPos])
                : new RtControlPoint { Index = cps.Count, CumulativeMetersetWeight = weights[s], DevicePositions = [mlcPos] });
            cps.Add(new RtControlPoint { Index = cps.Count, CumulativeMetersetWeight = weights[s + 1], DevicePositions = [mlcPos] });
        }

        return cps;
    }

    private static RtControlPoint FirstControlPoint(SequencedBeam sb, double energyMV, IReadOnlyList<RtDevicePosition> positions) => new()
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
    };

    private static RtDevicePosition Jaw(string type, double lowMm, double highMm) => new() { Type = type, PositionsMm = [lowMm, highMm] };
}
