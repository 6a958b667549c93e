namespace MeTAI.Service.Rehearsals;

/// <summary>The geometry of <see cref="RehearsalCtVolume"/>'s file (the scene's <c>ctVolume</c>, docs/scene.md).</summary>
public sealed record CtVolumeInfo
{
    /// <summary>Name of the scene object.</summary>
    public string Name { get; init; } = "ct-volume";

    /// <summary>Voxels per axis (i, j, k) of the stored volume.</summary>
    public required int[] Size { get; init; }

    /// <summary>CT voxels per stored voxel along i, j, k (every n-th CT voxel is kept).</summary>
    public required int[] StrideVoxels { get; init; }

    /// <summary>The window mapped to 0…255, HU.</summary>
    public required double[] WindowHu { get; init; }

    /// <summary>Centre of stored voxel (0, 0, 0), LPS mm.</summary>
    public required double[] OriginLps { get; init; }

    /// <summary>One stored voxel along i, LPS mm.</summary>
    public required double[] StepILps { get; init; }

    /// <summary>One stored voxel along j, LPS mm.</summary>
    public required double[] StepJLps { get; init; }

    /// <summary>One stored voxel along k, LPS mm.</summary>
    public required double[] StepKLps { get; init; }

    /// <summary>The stored voxel nearest the target (i, j, k): the planes the page shows first.</summary>
    public required int[] TargetIndex { get; init; }
}
