namespace MeTAI.Planner.Commissioning;

/// <summary>
/// The MLC parameters the commissioning solved for the measured closed-leaf transmission and DLG, and what the fitted
/// leaf geometry gives for both (geometric, <see cref="MlcFit"/>).
/// </summary>
public sealed record MlcFitResult
{
    /// <summary>Leaf-body transmission (<c>collimator.mlc.transmission</c>).</summary>
    public required double LeafTransmission { get; init; }

    /// <summary>Interleaf transmission (<c>collimator.mlc.interleafTransmission</c>), the base file's ratio ln T_i / ln T kept.</summary>
    public required double InterleafTransmission { get; init; }

    /// <summary>Leaf-end radius, mm (<c>collimator.mlc.leafEndRadiusMm</c>).</summary>
    public required double LeafEndRadiusMm { get; init; }

    /// <summary>Closed-leaf transmission of the fitted geometry (leaf body and interleaf bands averaged), fraction.</summary>
    public required double ClosedTransmission { get; init; }

    /// <summary>Geometric DLG of the fitted geometry, mm.</summary>
    public required double DlgMm { get; init; }

    /// <summary>Why the DLG could not be matched (the measured value outside what the radius bounds reach), or null.</summary>
    public string? DlgLimit { get; init; }
}
