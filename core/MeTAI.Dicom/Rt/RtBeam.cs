namespace MeTAI.Dicom.Rt;

/// <summary>One treatment beam of a plan (an item of Beam Sequence, 300A,00B0).</summary>
public sealed record RtBeam
{
    /// <summary>Beam Number (300A,00C0), unique in the plan.</summary>
    public required int Number { get; init; }

    /// <summary>Beam Name (300A,00C2).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Beam Description (300A,00C3), or empty.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Beam Type (300A,00C4): STATIC or DYNAMIC.</summary>
    public string Type { get; init; } = "STATIC";

    /// <summary>Radiation Type (300A,00C6): PHOTON, ELECTRON, PROTON, …</summary>
    public string RadiationType { get; init; } = "PHOTON";

    /// <summary>Treatment Delivery Type (300A,00CE): TREATMENT, OPEN_PORTFILM, …</summary>
    public string TreatmentDeliveryType { get; init; } = "TREATMENT";

    /// <summary>Treatment Machine Name (300A,00B2).</summary>
    public string TreatmentMachineName { get; init; } = string.Empty;

    /// <summary>Primary Dosimeter Unit (300A,00B3): MU or MINUTE.</summary>
    public string PrimaryDosimeterUnit { get; init; } = "MU";

    /// <summary>Source-Axis Distance (300A,00B4) in mm, or null.</summary>
    public double? SourceAxisDistanceMm { get; init; } = 1000;

    /// <summary>Beam limiting devices (jaws, MLC) of the beam.</summary>
    public IReadOnlyList<RtBeamLimitingDevice> BeamLimitingDevices { get; init; } = [];

    /// <summary>Final Cumulative Meterset Weight (300A,010E).</summary>
    public double? FinalCumulativeMetersetWeight { get; init; } = 1;

    /// <summary>Control points, in order.</summary>
    public IReadOnlyList<RtControlPoint> ControlPoints { get; init; } = [];

    /// <summary>Referenced Patient Setup Number (300C,006A), or null.</summary>
    public int? ReferencedPatientSetupNumber { get; init; }

    /// <summary>High-Dose Technique Type (300A,00C7): NORMAL, TBI or HDR; empty when not given (normal).</summary>
    public string HighDoseTechniqueType { get; init; } = string.Empty;

    /// <summary>Fluence Mode (3002,0051) of the Primary Fluence Mode Sequence: STANDARD, NON_STANDARD, or empty when not given.</summary>
    public string FluenceMode { get; init; } = string.Empty;

    /// <summary>Fluence Mode ID (3002,0052) of a NON_STANDARD fluence, e.g. FFF or SRS, or empty.</summary>
    public string FluenceModeId { get; init; } = string.Empty;

    /// <summary>Number of Wedges (300A,00D0) as the beam declares it, or null when absent.</summary>
    public int? NumberOfWedges { get; init; }

    /// <summary>Wedges (Wedge Sequence, 300A,00D1).</summary>
    public IReadOnlyList<RtWedge> Wedges { get; init; } = [];

    /// <summary>Number of Compensators (300A,00E0) as the beam declares it, or null when absent.</summary>
    public int? NumberOfCompensators { get; init; }

    /// <summary>Compensators (Compensator Sequence, 300A,00E3).</summary>
    public IReadOnlyList<RtCompensator> Compensators { get; init; } = [];

    /// <summary>Number of Boli (300A,00ED) as the beam declares it, or null when absent.</summary>
    public int? NumberOfBoli { get; init; }

    /// <summary>Boli the beam passes through (Referenced Bolus Sequence, 300C,00B0).</summary>
    public IReadOnlyList<RtBolus> Boli { get; init; } = [];

    /// <summary>Number of Blocks (300A,00F0) as the beam declares it, or null when absent.</summary>
    public int? NumberOfBlocks { get; init; }

    /// <summary>Blocks (Block Sequence, 300A,00F4).</summary>
    public IReadOnlyList<RtBlock> Blocks { get; init; } = [];

    /// <summary>Applicators (Applicator Sequence, 300A,0107).</summary>
    public IReadOnlyList<RtApplicator> Applicators { get; init; } = [];

    /// <summary>Other devices the beam names: general accessories, range shifters, lateral spreading devices, range modulators, enhanced beam limiting devices.</summary>
    public IReadOnlyList<RtBeamAccessory> OtherAccessories { get; init; } = [];

    /// <summary>Nominal energy in MV: the first control point's Nominal Beam Energy (null when not given).</summary>
    public double? NominalEnergyMV => ControlPoints.Count > 0 ? ControlPoints[0].NominalBeamEnergyMV : null;

    /// <summary>Gantry angle of the first control point in degrees (null when not given).</summary>
    public double? GantryDeg => ControlPoints.Count > 0 ? ControlPoints[0].GantryDeg : null;
}
