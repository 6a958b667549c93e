using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Tissue label per voxel: 0 outside the body, otherwise 1 + the index of the tissue in the avatar config. Made by
/// painting the config's structures in order (later over earlier), like a CT phantom's HU.
/// </summary>
public sealed class LabelVolume
{
    /// <summary>Wraps labels on a grid (not copied).</summary>
    public LabelVolume(GridGeometry geometry, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != geometry.VoxelCount)
        {
            throw new ArgumentException($"Label volume has {labels.Length} values, grid has {geometry.VoxelCount}.", nameof(labels));
        }

        Geometry = geometry;
        Labels = labels;
    }

    /// <summary>The voxel grid (LPS mm).</summary>
    public GridGeometry Geometry { get; }

    /// <summary>Labels, i fastest; 0 outside, else 1 + tissue index.</summary>
    public byte[] Labels { get; }

    /// <summary>Paints <paramref name="masks"/> (all on one grid) with the given tissue indices, in order.</summary>
    /// <param name="masks">Masks in painting order; the first is the body outline.</param>
    /// <param name="tissueIndices">Tissue index (0-based) for each mask.</param>
    public static LabelVolume Paint(IReadOnlyList<VoxelMask> masks, IReadOnlyList<int> tissueIndices)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(tissueIndices);
        if (masks.Count == 0 || masks.Count != tissueIndices.Count)
        {
            throw new ArgumentException("Need one tissue index per mask and at least one mask.");
        }

        GridGeometry g = masks[0].Geometry;
        var labels = new byte[g.VoxelCount];
        for (int m = 0; m < masks.Count; m++)
        {
            if (!masks[m].Geometry.SameAs(g))
            {
                throw new ArgumentException($"Mask '{masks[m].Name}' is not on the body's grid.", nameof(masks));
            }

            if (tissueIndices[m] < 0 || tissueIndices[m] > 254)
            {
                throw new ArgumentOutOfRangeException(nameof(tissueIndices), tissueIndices[m], "Tissue index must be 0 … 254.");
            }

            byte label = (byte)(tissueIndices[m] + 1);
            byte[] inside = masks[m].Voxels;
            byte[] body = masks[0].Voxels;
            for (int n = 0; n < labels.Length; n++)
            {
                // Only inside the body: organs outside the outline (contouring slop) are clipped to it.
                if (inside[n] != 0 && body[n] != 0)
                {
                    labels[n] = label;
                }
            }
        }

        return new LabelVolume(g, labels);
    }

    /// <summary>Label of the voxel nearest to a continuous index, or 0 outside the grid.</summary>
    public byte AtIndex(double i, double j, double k)
    {
        int a = (int)Math.Round(i), b = (int)Math.Round(j), c = (int)Math.Round(k);
        return Geometry.Contains(a, b, c) ? Labels[Geometry.Index(a, b, c)] : (byte)0;
    }
}
