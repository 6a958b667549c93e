namespace MeTAI.Dosimetry.Commissioning;

/// <summary>Measured MLC dosimetric values: closed-leaf transmission and the dosimetric leaf gap.</summary>
public sealed record MlcMeasurement
{
    /// <summary>Average transmission through the closed leaf bank (leaf body plus interleaf leakage), fraction of the open-field dose.</summary>
    public required double TransmissionFraction { get; init; }

    /// <summary>Dosimetric leaf gap, mm (the rounded leaf ends' extra effective opening).</summary>
    public required double DlgMm { get; init; }

    /// <summary>File the values came from.</summary>
    public required string File { get; init; }
}
