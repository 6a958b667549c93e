namespace MeTAI.Dosimetry.Commissioning;

/// <summary>Measured output factors under one set of conditions: SSD, depth of measurement, and the factors per field size.</summary>
public sealed record OutputFactorTable
{
    /// <summary>Source–surface distance, mm.</summary>
    public required double SsdMm { get; init; }

    /// <summary>Measurement depth, mm.</summary>
    public required double DepthMm { get; init; }

    /// <summary>The factors, in file order.</summary>
    public required IReadOnlyList<OutputFactor> Factors { get; init; }

    /// <summary>File the table came from.</summary>
    public required string File { get; init; }
}
