namespace MeTAI.Dicom.Rt;

/// <summary>
/// One beam limiting device of a beam (an item of Beam Limiting Device Sequence, 300A,00B6): jaws (X, Y, ASYMX, ASYMY)
/// or a multileaf collimator (MLCX, MLCY) with its leaf boundaries.
/// </summary>
public sealed record RtBeamLimitingDevice
{
    /// <summary>RT Beam Limiting Device Type (300A,00B8): X, Y, ASYMX, ASYMY, MLCX or MLCY.</summary>
    public required string Type { get; init; }

    /// <summary>Number of Leaf/Jaw Pairs (300A,00BC): 1 for jaws, the leaf-pair count for an MLC.</summary>
    public int NumberOfPairs { get; init; } = 1;

    /// <summary>
    /// Leaf Position Boundaries (300A,00BE) in mm at the isocentre plane, NumberOfPairs + 1 values, for MLCs; empty for jaws.
    /// </summary>
    public IReadOnlyList<double> LeafBoundariesMm { get; init; } = [];

    /// <summary>Source to Beam Limiting Device Distance (300A,00BA) in mm, or null.</summary>
    public double? SourceDistanceMm { get; init; }

    /// <summary>True for MLCX and MLCY.</summary>
    public bool IsMlc => Type.StartsWith("MLC", StringComparison.Ordinal);
}
