using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms;

/// <summary>One named region of a <see cref="Phantom"/>: a mask on the phantom's CT grid with its role and colour.</summary>
public sealed class PhantomStructure
{
    /// <summary>Creates a structure; its name is the mask's name.</summary>
    /// <param name="kind">What the structure is for.</param>
    /// <param name="mask">The voxels inside (voxel centre inside the analytic shape).</param>
    /// <param name="color">Display colour.</param>
    public PhantomStructure(StructureKind kind, VoxelMask mask, RgbColor color)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown structure kind.");
        }

        Kind = kind;
        Mask = mask;
        Color = color;
    }

    /// <summary>Structure (ROI) name, e.g. <c>PTV</c>; the same as <see cref="VoxelMask.Name"/>.</summary>
    public string Name => Mask.Name;

    /// <summary>What the structure is for.</summary>
    public StructureKind Kind { get; }

    /// <summary>The voxels inside, on the phantom's CT grid.</summary>
    public VoxelMask Mask { get; }

    /// <summary>Display colour.</summary>
    public RgbColor Color { get; }

    /// <summary>Volume in cm³ (voxel count × voxel volume).</summary>
    public double VolumeCc => Mask.VolumeCc;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind})";
}
