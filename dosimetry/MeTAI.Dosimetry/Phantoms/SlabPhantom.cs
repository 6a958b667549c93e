using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Dosimetry.Phantoms;

/// <summary>One slab of a slab phantom: thickness along the beam (LPS +y from the surface), material and density.</summary>
public readonly record struct Slab(double ThicknessMm, string Material, double DensityGPerCm3);

/// <summary>
/// Slab phantoms for validation (water/lung/water, water/bone/water): layers stacked along LPS +y (the gantry-0 beam
/// direction) starting at the anterior surface y = <c>surfaceYLps</c>, centred laterally on x = z = 0.
/// </summary>
public static class SlabPhantom
{
    /// <summary>Builds the phantom with a lateral extent of <paramref name="lateralMm"/> and cubic voxels.</summary>
    public static VoxelPhantom Create(IReadOnlyList<Slab> slabs, double lateralMm, double voxelMm, double surfaceYLps = 0)
    {
        ArgumentNullException.ThrowIfNull(slabs);
        double depth = 0;
        var names = new List<string>();
        foreach (Slab s in slabs)
        {
            depth += s.ThicknessMm;
            if (!names.Contains(s.Material))
            {
                names.Add(s.Material);
            }
        }

        GridGeometry g = GridGeometry.Centered(new Vec3(lateralMm, depth, lateralMm), voxelMm, new Vec3(0, surfaceYLps + depth / 2, 0));
        var m = new byte[g.VoxelCount];
        var d = new float[g.VoxelCount];
        for (int j = 0; j < g.SizeY; j++)
        {
            double yc = (j + 0.5) * g.SpacingMm.Y; // depth of the voxel centre
            double top = 0;
            Slab slab = slabs[^1];
            foreach (Slab s in slabs)
            {
                if (yc < top + s.ThicknessMm)
                {
                    slab = s;
                    break;
                }

                top += s.ThicknessMm;
            }

            byte mi = (byte)names.IndexOf(slab.Material);
            for (int k = 0; k < g.SizeZ; k++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    int n = g.Index(i, j, k);
                    m[n] = mi;
                    d[n] = (float)slab.DensityGPerCm3;
                }
            }
        }

        return new VoxelPhantom(g, names, m, d);
    }
}
