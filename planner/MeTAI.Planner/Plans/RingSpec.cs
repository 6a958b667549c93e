using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Plans;

/// <summary>
/// A ring structure a protocol derives for dose fall-off control: the voxels of the body between
/// <see cref="InnerMm"/> and <see cref="OuterMm"/> from the structure <see cref="Around"/>.
/// </summary>
/// <param name="Name">Name of the new structure.</param>
/// <param name="Around">The structure it surrounds (usually the PTV).</param>
/// <param name="InnerMm">Gap between the structure and the ring, mm.</param>
/// <param name="OuterMm">Outer distance, mm.</param>
public sealed record RingSpec(string Name, string Around, double InnerMm, double OuterMm)
{
    /// <summary>The ring mask: (around ⊕ outer) ∩ body − (around ⊕ inner).</summary>
    public VoxelMask Build(VoxelMask around, VoxelMask body)
    {
        ArgumentNullException.ThrowIfNull(around);
        ArgumentNullException.ThrowIfNull(body);
        if (!(InnerMm >= 0 && OuterMm > InnerMm))
        {
            throw new ArgumentException($"Ring {Name}: need 0 ≤ innerMm < outerMm, got {InnerMm} and {OuterMm}.");
        }

        VoxelMask outer = around.Expand(OuterMm).Intersect(body);
        VoxelMask inner = InnerMm > 0 ? around.Expand(InnerMm) : around;
        return outer.Subtract(inner, Name);
    }
}
