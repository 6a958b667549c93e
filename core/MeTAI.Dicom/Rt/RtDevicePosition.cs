namespace MeTAI.Dicom.Rt;

/// <summary>
/// Positions of one beam limiting device at a control point (an item of Beam Limiting Device Position Sequence,
/// 300A,011A). Leaf/Jaw Positions (300A,011C) in mm at the isocentre plane: for jaws [negative edge, positive edge];
/// for an MLC first the positions of all leaves of bank A, then of bank B.
/// </summary>
public sealed record RtDevicePosition
{
    /// <summary>RT Beam Limiting Device Type (300A,00B8).</summary>
    public required string Type { get; init; }

    /// <summary>Leaf/Jaw Positions in mm (2 × number of pairs values).</summary>
    public required IReadOnlyList<double> PositionsMm { get; init; }
}
