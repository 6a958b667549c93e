using System.Text.Json.Serialization;

namespace MeTAI.Planner.Evaluation;

/// <summary>Per-structure dose summary as report.json writes it (Gy, cm³; field names volumeCc, minGy, meanGy, maxGy, D2Gy … D98Gy).</summary>
public sealed record StructureMetrics
{
    /// <summary>Volume, cm³.</summary>
    public double VolumeCc { get; init; }

    /// <summary>Minimum dose.</summary>
    public double MinGy { get; init; }

    /// <summary>Mean dose.</summary>
    public double MeanGy { get; init; }

    /// <summary>Maximum dose.</summary>
    public double MaxGy { get; init; }

    /// <summary>D2 (near-maximum).</summary>
    [JsonPropertyName("D2Gy")]
    public double D2Gy { get; init; }

    /// <summary>D5.</summary>
    [JsonPropertyName("D5Gy")]
    public double D5Gy { get; init; }

    /// <summary>D50 (median).</summary>
    [JsonPropertyName("D50Gy")]
    public double D50Gy { get; init; }

    /// <summary>D95.</summary>
    [JsonPropertyName("D95Gy")]
    public double D95Gy { get; init; }

    /// <summary>D98 (near-minimum).</summary>
    [JsonPropertyName("D98Gy")]
    public double D98Gy { get; init; }

    /// <summary>Paddick conformity index (targets only).</summary>
    public double? PaddickConformityIndex { get; init; }

    /// <summary>Homogeneity index (D2 − D98)/D50 (targets only).</summary>
    public double? HomogeneityIndex { get; init; }
}
