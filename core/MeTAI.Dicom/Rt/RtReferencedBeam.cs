namespace MeTAI.Dicom.Rt;

/// <summary>A beam's share of a fraction group (an item of Referenced Beam Sequence, 300C,0004).</summary>
public sealed record RtReferencedBeam
{
    /// <summary>Referenced Beam Number (300C,0006).</summary>
    public required int BeamNumber { get; init; }

    /// <summary>Beam Meterset (300A,0086) in MU per fraction, or null.</summary>
    public double? MetersetMu { get; init; }

    /// <summary>Beam Dose (300A,0084) in Gy per fraction at the beam dose point, or null.</summary>
    public double? DoseGy { get; init; }
}
