namespace MeTAI.Dicom.Rt.Readers;

/// <summary>
/// Reads what an RT Plan beam puts in the beam's path besides jaws and MLC — wedges, compensators, boli, blocks,
/// applicators, a non-standard fluence (FFF), other accessories — and the setup's shielding and fixation devices, so
/// that the planner can model them or refuse them by name. Items are read leniently (a missing number is 0, a missing
/// text empty): their presence is what matters.
/// </summary>
internal static class RtBeamModifiersReader
{
    /// <summary>Enhanced RT Beam Limiting Device Sequence (3008,00A1), newer than our dictionary.</summary>
    public static readonly DicomTag EnhancedBeamLimitingDeviceSequence = new(0x3008, 0x00A1);

    /// <summary><paramref name="beam"/> with the modifiers of its Beam Sequence item.</summary>
    public static RtBeam AddModifiers(RtBeam beam, DicomDataset item, string where)
    {
        DicomDataset? fluence = RtRead.FirstItem(item, DicomTags.PrimaryFluenceModeSequence);
        return beam with
        {
            HighDoseTechniqueType = RtRead.String(item, DicomTags.HighDoseTechniqueType) ?? string.Empty,
            FluenceMode = fluence is null ? string.Empty : RtRead.String(fluence, DicomTags.FluenceMode) ?? string.Empty,
            FluenceModeId = fluence is null ? string.Empty : RtRead.String(fluence, DicomTags.FluenceModeID) ?? string.Empty,
            NumberOfWedges = RtRead.OptionalInt(item, DicomTags.NumberOfWedges, where),
            Wedges = [.. item.GetItems(DicomTags.WedgeSequence).Select(w => new RtWedge
            {
                Number = RtRead.OptionalInt(w, DicomTags.WedgeNumber, where) ?? 0,
                Type = RtRead.String(w, DicomTags.WedgeType) ?? string.Empty,
                Id = RtRead.String(w, DicomTags.WedgeID) ?? string.Empty,
                AngleDeg = RtRead.OptionalDouble(w, DicomTags.WedgeAngle, where),
                Factor = RtRead.OptionalDouble(w, DicomTags.WedgeFactor, where),
                OrientationDeg = RtRead.OptionalDouble(w, DicomTags.WedgeOrientation, where),
            })],
            NumberOfCompensators = RtRead.OptionalInt(item, DicomTags.NumberOfCompensators, where),
            Compensators = [.. item.GetItems(DicomTags.CompensatorSequence).Select(c => new RtCompensator
            {
                Number = RtRead.OptionalInt(c, DicomTags.CompensatorNumber, where) ?? 0,
                Type = RtRead.String(c, DicomTags.CompensatorType) ?? string.Empty,
                Id = RtRead.String(c, DicomTags.CompensatorID) ?? string.Empty,
            })],
            NumberOfBoli = RtRead.OptionalInt(item, DicomTags.NumberOfBoli, where),
            Boli = [.. item.GetItems(DicomTags.ReferencedBolusSequence).Select(b => new RtBolus
            {
                ReferencedRoiNumber = RtRead.OptionalInt(b, DicomTags.ReferencedROINumber, where),
                Id = RtRead.String(b, DicomTags.BolusID) ?? string.Empty,
                Description = RtRead.String(b, DicomTags.BolusDescription) ?? string.Empty,
            })],
            NumberOfBlocks = RtRead.OptionalInt(item, DicomTags.NumberOfBlocks, where),
            Blocks = [.. item.GetItems(DicomTags.BlockSequence).Select(b => new RtBlock
            {
                Number = RtRead.OptionalInt(b, DicomTags.BlockNumber, where) ?? 0,
                Type = RtRead.String(b, DicomTags.BlockType) ?? string.Empty,
                Name = RtRead.String(b, DicomTags.BlockName) ?? string.Empty,
                TrayId = RtRead.String(b, DicomTags.BlockTrayID) ?? string.Empty,
                MaterialId = RtRead.String(b, DicomTags.MaterialID) ?? string.Empty,
                ThicknessMm = RtRead.OptionalDouble(b, DicomTags.BlockThickness, where),
                Transmission = RtRead.OptionalDouble(b, DicomTags.BlockTransmission, where),
            })],
            Applicators = [.. item.GetItems(DicomTags.ApplicatorSequence).Select(a => new RtApplicator
            {
                Id = RtRead.String(a, DicomTags.ApplicatorID) ?? string.Empty,
                Type = RtRead.String(a, DicomTags.ApplicatorType) ?? string.Empty,
                Description = RtRead.String(a, DicomTags.ApplicatorDescription) ?? string.Empty,
            })],
            OtherAccessories =
            [
                .. Accessories(item, DicomTags.GeneralAccessorySequence, DicomTags.GeneralAccessoryNumber, DicomTags.GeneralAccessoryType, DicomTags.GeneralAccessoryID, where),
                .. Accessories(item, DicomTags.RangeShifterSequence, DicomTags.RangeShifterNumber, DicomTags.RangeShifterType, DicomTags.RangeShifterID, where),
                .. Accessories(item, DicomTags.LateralSpreadingDeviceSequence, DicomTags.LateralSpreadingDeviceNumber, DicomTags.LateralSpreadingDeviceType, DicomTags.LateralSpreadingDeviceID, where),
                .. Accessories(item, DicomTags.RangeModulatorSequence, DicomTags.RangeModulatorNumber, DicomTags.RangeModulatorType, DicomTags.RangeModulatorID, where),
                .. Accessories(item, EnhancedBeamLimitingDeviceSequence, null, null, null, where),
            ],
        };
    }

    /// <summary>The Wedge Position Sequence of a control point.</summary>
    public static IReadOnlyList<RtWedgePosition> WedgePositions(DicomDataset cp, string where) =>
        [.. cp.GetItems(DicomTags.WedgePositionSequence).Select(w => new RtWedgePosition
        {
            WedgeNumber = RtRead.OptionalInt(w, DicomTags.ReferencedWedgeNumber, where) ?? 0,
            Position = RtRead.String(w, DicomTags.WedgePosition) ?? string.Empty,
        })];

    /// <summary><paramref name="setup"/> with its Shielding Device and Fixation Device Sequences.</summary>
    public static RtPatientSetup AddDevices(RtPatientSetup setup, DicomDataset item, string? source) => setup with
    {
        SetupTechnique = RtRead.String(item, DicomTags.SetupTechnique) ?? string.Empty,
        ShieldingDevices = Accessories(item, DicomTags.ShieldingDeviceSequence, null, DicomTags.ShieldingDeviceType, DicomTags.ShieldingDeviceLabel, source),
        FixationDevices = Accessories(item, DicomTags.FixationDeviceSequence, null, DicomTags.FixationDeviceType, DicomTags.FixationDeviceLabel, source),
    };

    private static List<RtBeamAccessory> Accessories(DicomDataset ds, DicomTag sequence, DicomTag? number, DicomTag? type, DicomTag? id, string? where)
    {
        var list = new List<RtBeamAccessory>();
        if (!ds.Contains(sequence))
        {
            return list;
        }

        string name = sequence == EnhancedBeamLimitingDeviceSequence ? "Enhanced RT Beam Limiting Device Sequence" : DicomDictionary.Lookup(sequence)?.Name ?? sequence.ToString();
        foreach (DicomDataset item in ds.GetItems(sequence))
        {
            list.Add(new RtBeamAccessory
            {
                Sequence = name,
                Tag = sequence,
                Number = number is DicomTag n ? RtRead.OptionalInt(item, n, where) : null,
                Type = type is DicomTag t ? RtRead.String(item, t) ?? string.Empty : string.Empty,
                Id = id is DicomTag i ? RtRead.String(item, i) ?? string.Empty : string.Empty,
            });
        }

        return list;
    }
}
