namespace MeTAI.Dicom.Rt;

/// <summary>Where a wedge is at a control point (an item of Wedge Position Sequence, 300A,0116).</summary>
public sealed record RtWedgePosition
{
    /// <summary>Referenced Wedge Number (300C,00C0).</summary>
    public int WedgeNumber { get; init; }

    /// <summary>Wedge Position (300A,0118): IN or OUT.</summary>
    public string Position { get; init; } = string.Empty;
}
