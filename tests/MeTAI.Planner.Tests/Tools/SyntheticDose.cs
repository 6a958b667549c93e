using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Tests.Tools;

/// <summary>Smooth box-like dose distributions with optional shift, scale and noise, for DVH and gamma comparisons.</summary>
internal static class SyntheticDose
{
    public static VoxelGrid<float> Box(GridGeometry g, double shiftXMm = 0, double scale = 1, double noise = 0, int seed = 1, double peakGy = 2)
    {
        var rng = new Random(seed);
        var d = new VoxelGrid<float>(g);
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    Vec3 p = g.IndexToLps(i, j, k);
                    double x = p.X - shiftXMm, y = p.Y, z = p.Z;
                    double v = peakGy * Sigmoid(30 - Math.Abs(x)) * Sigmoid(25 - Math.Abs(y)) * Sigmoid(20 - Math.Abs(z)) * (1 - 0.004 * (y + 75)) + 0.05 * peakGy;
                    d[i, j, k] = (float)(v * scale * (1 + noise * (2 * rng.NextDouble() - 1)));
                }
            }
        }

        return d;
    }

    private static double Sigmoid(double t) => 1 / (1 + Math.Exp(-t / 3));
}
