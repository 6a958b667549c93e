namespace MeTAI.Dosimetry.Commissioning;

/// <summary>
/// One measured curve against the model: both normalised (percent; <see cref="CurveComparison"/> states the rules), the
/// 1D gamma of every measured point, and the figures of its kind (PDD: dmax, the largest deviation beyond dmax, the
/// build-up distance to agreement; profile: the 80–20 % penumbra and the 50 % width of each, the largest in-field
/// deviation). Figures that do not apply, or that the measured points cannot give (e.g. no build-up points), are NaN.
/// </summary>
public sealed record CurveComparisonResult
{
    /// <summary>The measured curve.</summary>
    public required MeasuredCurve Measured { get; init; }

    /// <summary>Measured values in percent of the measured normalisation value.</summary>
    public required double[] MeasuredPercent { get; init; }

    /// <summary>Model positions, mm.</summary>
    public required double[] ModelPositionMm { get; init; }

    /// <summary>Model values in percent of the model's normalisation value.</summary>
    public required double[] ModelPercent { get; init; }

    /// <summary>Gamma of each measured point; NaN where not analysed (below threshold or outside the model's range).</summary>
    public required double[] Gamma { get; init; }

    /// <summary>Measured points analysed by the gamma.</summary>
    public required int AnalysedPoints { get; init; }

    /// <summary>Fraction of the analysed points with γ ≤ 1 (NaN when none was analysed).</summary>
    public required double GammaPassRate { get; init; }

    /// <summary>Largest gamma (capped at the options' gamma-max).</summary>
    public required double MaxGamma { get; init; }

    /// <summary>PDD: depth of the measured maximum, mm.</summary>
    public double DmaxMeasuredMm { get; init; } = double.NaN;

    /// <summary>PDD: depth of the model's maximum, mm.</summary>
    public double DmaxModelMm { get; init; } = double.NaN;

    /// <summary>
    /// PDD: largest |model − measured| at measured depths at or beyond the measured dmax, in percentage points of the
    /// dmax dose; profile: the same inside 80 % of the measured 50 % width.
    /// </summary>
    public double MaxDeviationPercent { get; init; } = double.NaN;

    /// <summary>Where <see cref="MaxDeviationPercent"/> occurs, mm.</summary>
    public double MaxDeviationAtMm { get; init; } = double.NaN;

    /// <summary>PDD: the largest distance from a measured build-up point (10–95 % before dmax) to the model depth of the same PDD, mm (infinite when the model never reaches that value before its dmax).</summary>
    public double BuildUpDtaMm { get; init; } = double.NaN;

    /// <summary>Profile: measured 80–20 % penumbra, mean of both sides, mm.</summary>
    public double PenumbraMeasuredMm { get; init; } = double.NaN;

    /// <summary>Profile: model 80–20 % penumbra, mean of both sides, mm.</summary>
    public double PenumbraModelMm { get; init; } = double.NaN;

    /// <summary>Profile: measured width at 50 % of the central dose, mm.</summary>
    public double Width50MeasuredMm { get; init; } = double.NaN;

    /// <summary>Profile: model width at 50 % of the central dose, mm.</summary>
    public double Width50ModelMm { get; init; } = double.NaN;
}
