using MeTAI.Dosimetry.Commissioning;

namespace MeTAI.Planner.Commissioning;

/// <summary>What a commissioning run found: fitted values, what each stage did, and every measured curve against the fitted model.</summary>
public sealed record CommissioningResult
{
    /// <summary>The model's parameters.</summary>
    public required IReadOnlyList<FitParameter> Parameters { get; init; }

    /// <summary>Fitted value of each parameter.</summary>
    public required double[] Values { get; init; }

    /// <summary>One line per stage: what it fitted and to which values, or why it was skipped.</summary>
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>Each measured scan against the fitted model.</summary>
    public required IReadOnlyList<CurveComparisonResult> Curves { get; init; }

    /// <summary>Each measured output factor against the fitted model.</summary>
    public required IReadOnlyList<OutputFactorComparison> OutputFactors { get; init; }

    /// <summary>The measured MLC values (the report lists them; fitting the MLC needs a model with leaves).</summary>
    public MlcMeasurement? Mlc { get; init; }

    /// <summary>Dose per unit fluence at dmax of 10 × 10 cm², SSD 100 cm, in the final run; null without that PDD.</summary>
    public double? ReferenceDosePerFluence { get; init; }

    /// <summary>Its relative uncertainty.</summary>
    public double? ReferenceRelativeUncertainty { get; init; }

    /// <summary>Monte Carlo runs made in all.</summary>
    public required int Runs { get; init; }
}
