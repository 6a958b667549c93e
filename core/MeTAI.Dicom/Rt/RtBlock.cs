namespace MeTAI.Dicom.Rt;

/// <summary>A block in a beam (an item of Block Sequence, 300A,00F4): a shielding block or an aperture (cut-out).</summary>
public sealed record RtBlock
{
    /// <summary>Block Number (300A,00FC).</summary>
    public int Number { get; init; }

    /// <summary>Block Type (300A,00F8): SHIELDING or APERTURE.</summary>
    public string Type { get; init; } = string.Empty;

    /// <summary>Block Name (300A,00FE), or empty.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Block Tray ID (300A,00F5), or empty.</summary>
    public string TrayId { get; init; } = string.Empty;

    /// <summary>Material ID (300A,00E1), or empty.</summary>
    public string MaterialId { get; init; } = string.Empty;

    /// <summary>Block Thickness (300A,0100) in mm, or null.</summary>
    public double? ThicknessMm { get; init; }

    /// <summary>Block Transmission (300A,0102), or null.</summary>
    public double? Transmission { get; init; }
}
