namespace MeTAI.Dicom.Rt.Readers;

/// <summary>Reads RT Plan Storage instances into <see cref="RtPlan"/>; errors name the file and attribute.</summary>
public static class RtPlanReader
{
    /// <summary>Reads an RTPLAN file.</summary>
    public static RtPlan Read(string path) => FromDataset(RtFiles.ReadDataset(path), path);

    /// <summary>Reads an RTPLAN dataset; <paramref name="source"/> names it in errors.</summary>
    public static RtPlan FromDataset(DicomDataset dataset, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        string sopClass = RtRead.RequiredString(dataset, DicomTags.SOPClassUID, source);
        if (sopClass != DicomUid.RTPlanStorage)
        {
            throw RtRead.Error(source, DicomTags.SOPClassUID, $"{sopClass} is not RT Plan Storage ({DicomUid.RTPlanStorage})");
        }

        return new RtPlan
        {
            PatientStudy = RtPatientStudy.FromDataset(dataset, source),
            SopInstanceUid = RtRead.RequiredString(dataset, DicomTags.SOPInstanceUID, source),
            SeriesInstanceUid = RtRead.RequiredString(dataset, DicomTags.SeriesInstanceUID, source),
            SeriesNumber = RtRead.OptionalInt(dataset, DicomTags.SeriesNumber, source) ?? 1,
            FrameOfReferenceUid = RtRead.String(dataset, DicomTags.FrameOfReferenceUID),
            Label = RtRead.RequiredString(dataset, DicomTags.RTPlanLabel, source),
            Name = RtRead.String(dataset, DicomTags.RTPlanName) ?? string.Empty,
            Description = RtRead.String(dataset, DicomTags.RTPlanDescription) ?? string.Empty,
            Date = RtRead.String(dataset, DicomTags.RTPlanDate) ?? string.Empty,
            Time = RtRead.String(dataset, DicomTags.RTPlanTime) ?? string.Empty,
            Geometry = RtRead.RequiredString(dataset, DicomTags.RTPlanGeometry, source),
            Intent = RtRead.String(dataset, DicomTags.PlanIntent) ?? string.Empty,
            DoseReferences = [.. dataset.GetItems(DicomTags.DoseReferenceSequence).Select(i => DoseReference(i, source))],
            FractionGroups = [.. dataset.GetItems(DicomTags.FractionGroupSequence).Select(i => FractionGroup(i, source))],
            Beams = [.. dataset.GetItems(DicomTags.BeamSequence).Select(i => Beam(i, source))],
            PatientSetups = [.. dataset.GetItems(DicomTags.PatientSetupSequence).Select(i => RtBeamModifiersReader.AddDevices(new RtPatientSetup
            {
                Number = RtRead.RequiredInt(i, DicomTags.PatientSetupNumber, source),
                PatientPosition = RtRead.String(i, DicomTags.PatientPosition) ?? string.Empty,
                SetupTechniqueDescription = RtRead.String(i, DicomTags.SetupTechniqueDescription) ?? string.Empty,
            }, i, source))],
            ReferencedStructureSetUid = RtRead.ReferencedSopInstance(dataset, DicomTags.ReferencedStructureSetSequence),
            ApprovalStatus = RtRead.String(dataset, DicomTags.ApprovalStatus) ?? string.Empty,
        };
    }

    private static RtDoseReference DoseReference(DicomDataset item, string? source) => new()
    {
        Number = RtRead.RequiredInt(item, DicomTags.DoseReferenceNumber, source),
        Uid = RtRead.String(item, DicomTags.DoseReferenceUID),
        StructureType = RtRead.RequiredString(item, DicomTags.DoseReferenceStructureType, source),
        Description = RtRead.String(item, DicomTags.DoseReferenceDescription) ?? string.Empty,
        Type = RtRead.RequiredString(item, DicomTags.DoseReferenceType, source),
        ReferencedRoiNumber = RtRead.OptionalInt(item, DicomTags.ReferencedROINumber, source),
        PointLps = RtRead.OptionalVec3(item, DicomTags.DoseReferencePointCoordinates, source),
        DeliveryMaximumDoseGy = RtRead.OptionalDouble(item, DicomTags.DeliveryMaximumDose, source),
        TargetPrescriptionDoseGy = RtRead.OptionalDouble(item, DicomTags.TargetPrescriptionDose, source),
        OrganAtRiskMaximumDoseGy = RtRead.OptionalDouble(item, DicomTags.OrganAtRiskMaximumDose, source),
    };

    private static RtFractionGroup FractionGroup(DicomDataset item, string? source) => new()
    {
        Number = RtRead.RequiredInt(item, DicomTags.FractionGroupNumber, source),
        FractionsPlanned = RtRead.OptionalInt(item, DicomTags.NumberOfFractionsPlanned, source),
        ReferencedBeams = [.. item.GetItems(DicomTags.ReferencedBeamSequence).Select(b => new RtReferencedBeam
        {
            BeamNumber = RtRead.RequiredInt(b, DicomTags.ReferencedBeamNumber, source),
            MetersetMu = RtRead.OptionalDouble(b, DicomTags.BeamMeterset, source),
            DoseGy = RtRead.OptionalDouble(b, DicomTags.BeamDose, source),
        })],
    };

    private static RtBeam Beam(DicomDataset item, string? source)
    {
        int number = RtRead.RequiredInt(item, DicomTags.BeamNumber, source);
        string where = source is null ? $"beam {number}" : $"{source} beam {number}";
        var beam = new RtBeam
        {
            Number = number,
            Name = RtRead.String(item, DicomTags.BeamName) ?? string.Empty,
            Description = RtRead.String(item, DicomTags.BeamDescription) ?? string.Empty,
            Type = RtRead.RequiredString(item, DicomTags.BeamType, where),
            RadiationType = RtRead.String(item, DicomTags.RadiationType) ?? string.Empty,
            TreatmentDeliveryType = RtRead.String(item, DicomTags.TreatmentDeliveryType) ?? string.Empty,
            TreatmentMachineName = RtRead.String(item, DicomTags.TreatmentMachineName) ?? string.Empty,
            PrimaryDosimeterUnit = RtRead.String(item, DicomTags.PrimaryDosimeterUnit) ?? string.Empty,
            SourceAxisDistanceMm = RtRead.OptionalDouble(item, DicomTags.SourceAxisDistance, where),
            BeamLimitingDevices = [.. item.GetItems(DicomTags.BeamLimitingDeviceSequence).Select(d => new RtBeamLimitingDevice
            {
                Type = RtRead.RequiredString(d, DicomTags.RTBeamLimitingDeviceType, where),
                NumberOfPairs = RtRead.RequiredInt(d, DicomTags.NumberOfLeafJawPairs, where),
                LeafBoundariesMm = RtRead.Doubles(d, DicomTags.LeafPositionBoundaries, where),
                SourceDistanceMm = RtRead.OptionalDouble(d, DicomTags.SourceToBeamLimitingDeviceDistance, where),
            })],
            FinalCumulativeMetersetWeight = RtRead.OptionalDouble(item, DicomTags.FinalCumulativeMetersetWeight, where),
            ControlPoints = [.. item.GetItems(DicomTags.ControlPointSequence).Select(cp => ControlPoint(cp, where))],
            ReferencedPatientSetupNumber = RtRead.OptionalInt(item, DicomTags.ReferencedPatientSetupNumber, where),
        };
        return RtBeamModifiersReader.AddModifiers(beam, item, where);
    }

    private static RtControlPoint ControlPoint(DicomDataset cp, string where) => new()
    {
        Index = RtRead.RequiredInt(cp, DicomTags.ControlPointIndex, where),
        CumulativeMetersetWeight = RtRead.OptionalDouble(cp, DicomTags.CumulativeMetersetWeight, where),
        NominalBeamEnergyMV = RtRead.OptionalDouble(cp, DicomTags.NominalBeamEnergy, where),
        DoseRateMuPerMin = RtRead.OptionalDouble(cp, DicomTags.DoseRateSet, where),
        GantryDeg = RtRead.OptionalDouble(cp, DicomTags.GantryAngle, where),
        GantryRotationDirection = RtRead.String(cp, DicomTags.GantryRotationDirection),
        CollimatorDeg = RtRead.OptionalDouble(cp, DicomTags.BeamLimitingDeviceAngle, where),
        CollimatorRotationDirection = RtRead.String(cp, DicomTags.BeamLimitingDeviceRotationDirection),
        CouchDeg = RtRead.OptionalDouble(cp, DicomTags.PatientSupportAngle, where),
        CouchRotationDirection = RtRead.String(cp, DicomTags.PatientSupportRotationDirection),
        TableTopEccentricDeg = RtRead.OptionalDouble(cp, DicomTags.TableTopEccentricAngle, where),
        TableTopEccentricRotationDirection = RtRead.String(cp, DicomTags.TableTopEccentricRotationDirection),
        TableTopPitchDeg = RtRead.OptionalDouble(cp, DicomTags.TableTopPitchAngle, where),
        TableTopRollDeg = RtRead.OptionalDouble(cp, DicomTags.TableTopRollAngle, where),
        IsocenterLps = RtRead.OptionalVec3(cp, DicomTags.IsocenterPosition, where),
        SourceToSurfaceDistanceMm = RtRead.OptionalDouble(cp, DicomTags.SourceToSurfaceDistance, where),
        GantryPitchDeg = RtRead.OptionalDouble(cp, DicomTags.GantryPitchAngle, where),
        WedgePositions = RtBeamModifiersReader.WedgePositions(cp, where),
        DevicePositions = [.. cp.GetItems(DicomTags.BeamLimitingDevicePositionSequence).Select(p => new RtDevicePosition
        {
            Type = RtRead.RequiredString(p, DicomTags.RTBeamLimitingDeviceType, where),
            PositionsMm = RtRead.RequiredDoubles(p, DicomTags.LeafJawPositions, 0, where),
        })],
    };
}
