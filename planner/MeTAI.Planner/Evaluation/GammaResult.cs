using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Evaluation;

/// <summary>The outcome of a gamma comparison.</summary>
public sealed class GammaResult
{
    /// <summary>Fraction of analysed voxels with γ ≤ 1 (0–1).</summary>
    public required double PassRate { get; init; }

    /// <summary>Voxels analysed (above the threshold).</summary>
    public required long AnalysedVoxels { get; init; }

    /// <summary>Voxels passing.</summary>
    public required long PassedVoxels { get; init; }

    /// <summary>Mean γ over the analysed voxels.</summary>
    public required double MeanGamma { get; init; }

    /// <summary>The reference dose used (global criterion and threshold), Gy.</summary>
    public required double ReferenceDoseGy { get; init; }

    /// <summary>γ per reference voxel (0 where not analysed), capped at gamma max.</summary>
    public required VoxelGrid<float> Gamma { get; init; }
}
