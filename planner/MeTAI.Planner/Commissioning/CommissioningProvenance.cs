namespace MeTAI.Planner.Commissioning;

/// <summary>What the fitted beam file records about how it was commissioned.</summary>
public sealed record CommissioningProvenance
{
    /// <summary>The measured-data folder.</summary>
    public required string BeamDataDirectory { get; init; }

    /// <summary>The report written next to the beam file.</summary>
    public required string ReportPath { get; init; }

    /// <summary>Histories per Monte Carlo run.</summary>
    public required long Histories { get; init; }

    /// <summary>Fitted values by parameter name.</summary>
    public required IReadOnlyDictionary<string, double> Fitted { get; init; }

    /// <summary>The stages that ran and those skipped, each with a one-line reason.</summary>
    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>Dose per unit fluence at dmax, 10 × 10 cm², SSD 100 cm, from the final run (null when the data has no such PDD).</summary>
    public double? ReferenceDosePerFluence { get; init; }

    /// <summary>Relative (1σ) uncertainty of <see cref="ReferenceDosePerFluence"/>.</summary>
    public double? ReferenceRelativeUncertainty { get; init; }

    /// <summary>UTC date of the fit.</summary>
    public required string DateUtc { get; init; }
}
