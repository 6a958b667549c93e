using System.Globalization;

namespace MeTAI.Dicom.Rt.Writers;

/// <summary>
/// Writes an <see cref="RtPlan"/> as an RT Plan Storage instance with the modules of the RT Plan IOD: Patient, General
/// Study, RT Series, Frame of Reference, General Equipment, RT General Plan, RT Prescription, RT Patient Setup, RT
/// Fraction Scheme, RT Beams, Approval and SOP Common. The plan is checked first (unique beam numbers, fraction groups
/// naming existing beams, leaf counts matching the MLC definition, control points in order) so that what is written
/// is consistent.
/// </summary>
public static class RtPlanWriter
{
    /// <summary>Writes the plan to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(RtPlan plan, string path, DateTime? created = null) =>
        RtFiles.WriteDataset(ToDataset(plan, created), path);

    /// <summary>The plan as a dataset.</summary>
    /// <exception cref="ArgumentException">When the plan is inconsistent; the message says what.</exception>
    public static DicomDataset ToDataset(RtPlan plan, DateTime? created = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Validate(plan);
        DateTime now = created ?? DateTime.Now;
        DicomDataset ds = RtWrite.NewInstance(DicomUid.RTPlanStorage, plan.SopInstanceUid, now);
        plan.PatientStudy.WriteTo(ds);
        RtWrite.Series(ds, "RTPLAN", plan.SeriesInstanceUid, plan.SeriesNumber, "MeTAI plan", now);
        if (plan.FrameOfReferenceUid is { } frameOfReference)
        {
            RtWrite.FrameOfReference(ds, frameOfReference);
        }

        RtWrite.Equipment(ds);

        // RT General Plan.
        ds.AddOrUpdate(DicomTags.RTPlanLabel, DicomVR.SH, plan.Label);
        RtWrite.Optional(ds, DicomTags.RTPlanName, DicomVR.LO, plan.Name);
        RtWrite.Optional(ds, DicomTags.RTPlanDescription, DicomVR.ST, plan.Description);
        ds.AddOrUpdate(DicomTags.RTPlanDate, DicomVR.DA, plan.Date.Length > 0 ? plan.Date : RtWrite.Date(now));
        ds.AddOrUpdate(DicomTags.RTPlanTime, DicomVR.TM, plan.Time.Length > 0 ? plan.Time : RtWrite.Time(now));
        RtWrite.Optional(ds, DicomTags.PlanIntent, DicomVR.CS, plan.Intent);
        ds.AddOrUpdate(DicomTags.RTPlanGeometry, DicomVR.CS, plan.Geometry);
        if (plan.ReferencedStructureSetUid is { } structureSet)
        {
            ds.AddSequence(DicomTags.ReferencedStructureSetSequence, [RtWrite.Reference(DicomUid.RTStructureSetStorage, structureSet)]);
        }

        // RT Prescription.
        if (plan.DoseReferences.Count > 0)
        {
            ds.AddSequence(DicomTags.DoseReferenceSequence, plan.DoseReferences.Select(DoseReference));
        }

        // RT Fraction Scheme.
        ds.AddSequence(DicomTags.FractionGroupSequence, plan.FractionGroups.Select(FractionGroup));

        // RT Beams.
        ds.AddSequence(DicomTags.BeamSequence, plan.Beams.Select(Beam));

        // RT Patient Setup.
        ds.AddSequence(DicomTags.PatientSetupSequence, plan.PatientSetups.Select(s =>
        {
            var item = new DicomDataset();
            item.AddOrUpdate(DicomTags.PatientPosition, DicomVR.CS, s.PatientPosition);
            item.AddOrUpdate(DicomTags.PatientSetupNumber, DicomVR.IS, s.Number);
            RtWrite.Optional(item, DicomTags.SetupTechniqueDescription, DicomVR.ST, s.SetupTechniqueDescription);
            return item;
        }));

        // Approval.
        ds.AddOrUpdate(DicomTags.ApprovalStatus, DicomVR.CS, plan.ApprovalStatus.Length > 0 ? plan.ApprovalStatus : "UNAPPROVED");
        return RtValueCheck.Checked(ds, "RT Plan");
    }

    private static void Validate(RtPlan plan)
    {
        Require(plan.Label.Length is > 0 and <= 16, $"RT Plan Label must have 1–16 characters, got '{plan.Label}'.");
        Require(plan.Geometry is "PATIENT" or "TREATMENT_DEVICE", $"RT Plan Geometry must be PATIENT or TREATMENT_DEVICE, got '{plan.Geometry}'.");
        Require(plan.Geometry != "PATIENT" || plan.ReferencedStructureSetUid is not null, "A plan with geometry PATIENT must reference its RT Structure Set.");
        Require(plan.FractionGroups.Count > 0, "A plan needs at least one fraction group.");
        Require(plan.PatientSetups.Count > 0, "A plan needs at least one patient setup.");
        var beamNumbers = new HashSet<int>();
        foreach (RtBeam beam in plan.Beams)
        {
            Require(beamNumbers.Add(beam.Number), $"Beam number {beam.Number} is used twice.");
            Require(beam.Type is "STATIC" or "DYNAMIC", $"Beam {beam.Number}: Beam Type must be STATIC or DYNAMIC, got '{beam.Type}'.");
            Require(beam.ControlPoints.Count >= 2, $"Beam {beam.Number}: a beam needs at least two control points.");
            Require(beam.BeamLimitingDevices.Count > 0, $"Beam {beam.Number}: a beam needs its beam limiting devices (jaws).");
            Require(beam.ControlPoints[0].NominalBeamEnergyMV is not null, $"Beam {beam.Number}: the first control point needs the Nominal Beam Energy.");
            Require(beam.ControlPoints[0].IsocenterLps is not null, $"Beam {beam.Number}: the first control point needs the isocentre.");
            // Beam modifiers are read (for the planner to refuse them), not written: writing would drop them silently.
            Require(beam.Wedges.Count + beam.Compensators.Count + beam.Boli.Count + beam.Blocks.Count + beam.Applicators.Count + beam.OtherAccessories.Count == 0
                && beam.NumberOfWedges is null or 0 && beam.NumberOfCompensators is null or 0 && beam.NumberOfBoli is null or 0 && beam.NumberOfBlocks is null or 0
                && beam.FluenceMode is "" or "STANDARD",
                $"Beam {beam.Number}: wedges, compensators, boli, blocks, applicators, accessories and non-standard fluence modes are read but not written; the plan would lose them.");
            foreach (RtBeamLimitingDevice device in beam.BeamLimitingDevices)
            {
                Require(device.NumberOfPairs > 0, $"Beam {beam.Number}: device {device.Type} needs at least one leaf/jaw pair.");
                Require(!device.IsMlc || device.LeafBoundariesMm.Count == device.NumberOfPairs + 1,
                    $"Beam {beam.Number}: {device.Type} has {device.NumberOfPairs} leaf pairs and needs {device.NumberOfPairs + 1} leaf boundaries, got {device.LeafBoundariesMm.Count}.");
            }

            double previous = double.NegativeInfinity;
            for (int i = 0; i < beam.ControlPoints.Count; i++)
            {
                RtControlPoint cp = beam.ControlPoints[i];
                Require(cp.Index == i, $"Beam {beam.Number}: control point {i} has index {cp.Index}.");
                double weight = cp.CumulativeMetersetWeight ?? previous;
                Require(weight >= previous, $"Beam {beam.Number}: cumulative meterset weight decreases at control point {i}.");
                previous = weight;
                foreach (RtDevicePosition p in cp.DevicePositions)
                {
                    RtBeamLimitingDevice? device = beam.BeamLimitingDevices.FirstOrDefault(d => d.Type == p.Type);
                    Require(device is not null, $"Beam {beam.Number}, control point {i}: positions for undefined device {p.Type}.");
                    Require(p.PositionsMm.Count == 2 * device!.NumberOfPairs,
                        $"Beam {beam.Number}, control point {i}: {p.Type} needs {2 * device.NumberOfPairs} positions, got {p.PositionsMm.Count}.");
                }
            }

            Require(beam.ControlPoints[0].DevicePositions.Count == beam.BeamLimitingDevices.Count,
                $"Beam {beam.Number}: the first control point must position every beam limiting device.");
        }

        foreach (RtFractionGroup group in plan.FractionGroups)
        {
            foreach (RtReferencedBeam rb in group.ReferencedBeams)
            {
                Require(beamNumbers.Contains(rb.BeamNumber), $"Fraction group {group.Number} references beam {rb.BeamNumber}, which the plan does not have.");
            }
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }

    private static DicomDataset DoseReference(RtDoseReference r)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.DoseReferenceNumber, DicomVR.IS, r.Number);
        item.AddOrUpdate(DicomTags.DoseReferenceUID, DicomVR.UI, r.Uid ?? DicomUid.Generate());
        item.AddOrUpdate(DicomTags.DoseReferenceStructureType, DicomVR.CS, r.StructureType);
        RtWrite.Optional(item, DicomTags.DoseReferenceDescription, DicomVR.LO, r.Description);
        if (r.PointLps is { } p)
        {
            RtWrite.Vec3(item, DicomTags.DoseReferencePointCoordinates, p);
        }

        item.AddOrUpdate(DicomTags.DoseReferenceType, DicomVR.CS, r.Type);
        RtWrite.Optional(item, DicomTags.DeliveryMaximumDose, DicomVR.DS, r.DeliveryMaximumDoseGy);
        RtWrite.Optional(item, DicomTags.TargetPrescriptionDose, DicomVR.DS, r.TargetPrescriptionDoseGy);
        RtWrite.Optional(item, DicomTags.OrganAtRiskMaximumDose, DicomVR.DS, r.OrganAtRiskMaximumDoseGy);
        if (r.ReferencedRoiNumber is { } roi)
        {
            item.AddOrUpdate(DicomTags.ReferencedROINumber, DicomVR.IS, roi);
        }

        return item;
    }

    private static DicomDataset FractionGroup(RtFractionGroup g)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.FractionGroupNumber, DicomVR.IS, g.Number);
        if (g.FractionsPlanned is { } n)
        {
            item.AddOrUpdate(DicomTags.NumberOfFractionsPlanned, DicomVR.IS, n);
        }
        else
        {
            item.AddOrUpdate(DicomTags.NumberOfFractionsPlanned, DicomVR.IS, string.Empty);
        }

        item.AddOrUpdate(DicomTags.NumberOfBeams, DicomVR.IS, g.ReferencedBeams.Count);
        item.AddOrUpdate(DicomTags.NumberOfBrachyApplicationSetups, DicomVR.IS, 0);
        if (g.ReferencedBeams.Count > 0)
        {
            item.AddSequence(DicomTags.ReferencedBeamSequence, g.ReferencedBeams.Select(b =>
            {
                var rb = new DicomDataset();
                RtWrite.Optional(rb, DicomTags.BeamDose, DicomVR.DS, b.DoseGy);
                RtWrite.Optional(rb, DicomTags.BeamMeterset, DicomVR.DS, b.MetersetMu);
                rb.AddOrUpdate(DicomTags.ReferencedBeamNumber, DicomVR.IS, b.BeamNumber);
                return rb;
            }));
        }

        return item;
    }

    private static DicomDataset Beam(RtBeam beam)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.TreatmentMachineName, DicomVR.SH, beam.TreatmentMachineName);
        RtWrite.Optional(item, DicomTags.PrimaryDosimeterUnit, DicomVR.CS, beam.PrimaryDosimeterUnit);
        RtWrite.Optional(item, DicomTags.SourceAxisDistance, DicomVR.DS, beam.SourceAxisDistanceMm);
        item.AddSequence(DicomTags.BeamLimitingDeviceSequence, beam.BeamLimitingDevices.Select(d =>
        {
            var dev = new DicomDataset();
            dev.AddOrUpdate(DicomTags.RTBeamLimitingDeviceType, DicomVR.CS, d.Type);
            RtWrite.Optional(dev, DicomTags.SourceToBeamLimitingDeviceDistance, DicomVR.DS, d.SourceDistanceMm);
            dev.AddOrUpdate(DicomTags.NumberOfLeafJawPairs, DicomVR.IS, d.NumberOfPairs);
            if (d.LeafBoundariesMm.Count > 0)
            {
                dev.AddOrUpdate(DicomTags.LeafPositionBoundaries, DicomVR.DS, [.. d.LeafBoundariesMm]);
            }

            return dev;
        }));
        item.AddOrUpdate(DicomTags.BeamNumber, DicomVR.IS, beam.Number);
        RtWrite.Optional(item, DicomTags.BeamName, DicomVR.LO, beam.Name);
        RtWrite.Optional(item, DicomTags.BeamDescription, DicomVR.ST, beam.Description);
        item.AddOrUpdate(DicomTags.BeamType, DicomVR.CS, beam.Type);
        item.AddOrUpdate(DicomTags.RadiationType, DicomVR.CS, beam.RadiationType);
        RtWrite.Optional(item, DicomTags.TreatmentDeliveryType, DicomVR.CS, beam.TreatmentDeliveryType);
        item.AddOrUpdate(DicomTags.NumberOfWedges, DicomVR.IS, 0);
        item.AddOrUpdate(DicomTags.NumberOfCompensators, DicomVR.IS, 0);
        item.AddOrUpdate(DicomTags.NumberOfBoli, DicomVR.IS, 0);
        item.AddOrUpdate(DicomTags.NumberOfBlocks, DicomVR.IS, 0);
        double final = beam.FinalCumulativeMetersetWeight ?? beam.ControlPoints[^1].CumulativeMetersetWeight ?? 1;
        item.AddOrUpdate(DicomTags.FinalCumulativeMetersetWeight, DicomVR.DS, final);
        item.AddOrUpdate(DicomTags.NumberOfControlPoints, DicomVR.IS, beam.ControlPoints.Count);
        item.AddSequence(DicomTags.ControlPointSequence, beam.ControlPoints.Select(cp => ControlPoint(cp, cp.Index == 0)));
        if (beam.ReferencedPatientSetupNumber is { } setup)
        {
            item.AddOrUpdate(DicomTags.ReferencedPatientSetupNumber, DicomVR.IS, setup);
        }

        return item;
    }

    private static DicomDataset ControlPoint(RtControlPoint cp, bool first)
    {
        // The first control point must state every angle and direction (Type 1C "required for the first item");
        // later ones state only what changes.
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ControlPointIndex, DicomVR.IS, cp.Index);
        if (cp.CumulativeMetersetWeight is { } w)
        {
            item.AddOrUpdate(DicomTags.CumulativeMetersetWeight, DicomVR.DS, w);
        }
        else
        {
            item.AddOrUpdate(DicomTags.CumulativeMetersetWeight, DicomVR.DS, string.Empty);
        }

        RtWrite.Optional(item, DicomTags.NominalBeamEnergy, DicomVR.DS, cp.NominalBeamEnergyMV);
        RtWrite.Optional(item, DicomTags.DoseRateSet, DicomVR.DS, cp.DoseRateMuPerMin);
        if (cp.DevicePositions.Count > 0)
        {
            item.AddSequence(DicomTags.BeamLimitingDevicePositionSequence, cp.DevicePositions.Select(p =>
            {
                var pos = new DicomDataset();
                pos.AddOrUpdate(DicomTags.RTBeamLimitingDeviceType, DicomVR.CS, p.Type);
                pos.AddOrUpdate(DicomTags.LeafJawPositions, DicomVR.DS, [.. p.PositionsMm]);
                return pos;
            }));
        }

        Angle(item, DicomTags.GantryAngle, DicomTags.GantryRotationDirection, cp.GantryDeg, cp.GantryRotationDirection, first);
        Angle(item, DicomTags.BeamLimitingDeviceAngle, DicomTags.BeamLimitingDeviceRotationDirection, cp.CollimatorDeg, cp.CollimatorRotationDirection, first);
        Angle(item, DicomTags.PatientSupportAngle, DicomTags.PatientSupportRotationDirection, cp.CouchDeg, cp.CouchRotationDirection, first);
        Angle(item, DicomTags.TableTopEccentricAngle, DicomTags.TableTopEccentricRotationDirection, cp.TableTopEccentricDeg, cp.TableTopEccentricRotationDirection, first);
        if (first)
        {
            // Table top positions are Type 2C for the first control point: present, empty when unknown.
            item.AddOrUpdate(DicomTags.TableTopVerticalPosition, DicomVR.DS, string.Empty);
            item.AddOrUpdate(DicomTags.TableTopLongitudinalPosition, DicomVR.DS, string.Empty);
            item.AddOrUpdate(DicomTags.TableTopLateralPosition, DicomVR.DS, string.Empty);
        }

        if (cp.IsocenterLps is { } iso)
        {
            RtWrite.Vec3(item, DicomTags.IsocenterPosition, iso);
        }

        RtWrite.Optional(item, DicomTags.SourceToSurfaceDistance, DicomVR.DS, cp.SourceToSurfaceDistanceMm);
        Angle(item, DicomTags.TableTopPitchAngle, DicomTags.TableTopPitchRotationDirection, cp.TableTopPitchDeg, null, first, DicomVR.FL);
        Angle(item, DicomTags.TableTopRollAngle, DicomTags.TableTopRollRotationDirection, cp.TableTopRollDeg, null, first, DicomVR.FL);
        return item;
    }

    private static void Angle(DicomDataset item, DicomTag angleTag, DicomTag directionTag, double? angleDeg, string? direction, bool first, DicomVR? vr = null)
    {
        if (angleDeg is null && !first)
        {
            return;
        }

        double a = angleDeg ?? 0;
        if (!(a >= 0 && a < 360))
        {
            // IEC 61217 angles are written in [0, 360).
            a = ((a % 360) + 360) % 360;
        }

        item.AddOrUpdate(angleTag, vr ?? DicomVR.DS, a);
        item.AddOrUpdate(directionTag, DicomVR.CS, string.IsNullOrEmpty(direction) ? "NONE" : direction.ToUpper(CultureInfo.InvariantCulture));
    }
}
