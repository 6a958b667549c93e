namespace MeTAI.Dicom.Rt;

/// <summary>A bolus a beam goes through (an item of Referenced Bolus Sequence, 300C,00B0): an ROI of the structure set.</summary>
public sealed record RtBolus
{
    /// <summary>Referenced ROI Number (3006,0084) of the bolus in the structure set, or null.</summary>
    public int? ReferencedRoiNumber { get; init; }

    /// <summary>Bolus ID (300A,00DC), or empty.</summary>
    public string Id { get; init; } = string.Empty;

    /// <summary>Bolus Description (300A,00DD), or empty.</summary>
    public string Description { get; init; } = string.Empty;
}
