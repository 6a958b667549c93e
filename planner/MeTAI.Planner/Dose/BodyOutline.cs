using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Dose;

/// <summary>
/// The patient's outline found from the CT alone, for a case without a body ROI (<see cref="Plans.PlanCase.BodyMask"/>):
/// the voxels above <see cref="ThresholdHu"/>, only the largest 6-connected group of them (a couch, immobilisation or
/// stray noise that does not touch the patient is left out), with the holes of every slice filled, so that lungs,
/// airways and bowel gas enclosed by tissue are inside the body, as a clinical body contour has them.
/// </summary>
public static class BodyOutline
{
    /// <summary>Tissue is above this CT number (HU); the same threshold finds the surface a beam enters through.</summary>
    public const short ThresholdHu = -500;

    /// <summary>The name of the mask <see cref="FromCt"/> returns.</summary>
    public const string Name = "CT outline";

    /// <summary>The outline of the body in <paramref name="ctHu"/> (empty when no voxel is above the threshold).</summary>
    public static VoxelMask FromCt(VoxelGrid<short> ctHu)
    {
        ArgumentNullException.ThrowIfNull(ctHu);
        var mask = new VoxelMask(Name, ctHu.Geometry);
        short[] hu = ctHu.Data;
        byte[] tissue = mask.Voxels;
        for (int n = 0; n < hu.Length; n++)
        {
            tissue[n] = hu[n] > ThresholdHu ? (byte)1 : (byte)0;
        }

        KeepLargestComponent(tissue, ctHu.Geometry);
        FillSliceHoles(tissue, ctHu.Geometry);
        return mask;
    }

    /// <summary>Clears every 6-connected group of set voxels but the largest (the first found of equal size).</summary>
    private static void KeepLargestComponent(byte[] voxels, GridGeometry g)
    {
        // Every group is flooded from 1 to 2 to measure it; then the largest, from 2 to 3.
        var queue = new Queue<int>();
        int bestSeed = -1, bestSize = 0;
        for (int seed = 0; seed < voxels.Length; seed++)
        {
            if (voxels[seed] == 1)
            {
                int size = Flood(voxels, g, seed, 1, 2, queue);
                if (size > bestSize)
                {
                    (bestSeed, bestSize) = (seed, size);
                }
            }
        }

        if (bestSeed >= 0)
        {
            Flood(voxels, g, bestSeed, 2, 3, queue);
        }

        for (int n = 0; n < voxels.Length; n++)
        {
            voxels[n] = voxels[n] == 3 ? (byte)1 : (byte)0;
        }
    }

    /// <summary>Sets the 6-connected group of <paramref name="from"/> voxels around <paramref name="seed"/> to <paramref name="to"/>; returns its size.</summary>
    private static int Flood(byte[] voxels, GridGeometry g, int seed, byte from, byte to, Queue<int> queue)
    {
        int nx = g.SizeX, ny = g.SizeY, nxy = g.SizeX * g.SizeY;
        int size = 0;
        voxels[seed] = to;
        queue.Enqueue(seed);
        while (queue.TryDequeue(out int n))
        {
            size++;
            int i = n % nx, j = n / nx % ny, k = n / nxy;
            Visit(voxels, queue, from, to, i > 0, n - 1);
            Visit(voxels, queue, from, to, i < nx - 1, n + 1);
            Visit(voxels, queue, from, to, j > 0, n - nx);
            Visit(voxels, queue, from, to, j < ny - 1, n + nx);
            Visit(voxels, queue, from, to, k > 0, n - nxy);
            Visit(voxels, queue, from, to, k < g.SizeZ - 1, n + nxy);
        }

        return size;
    }

    private static void Visit(byte[] voxels, Queue<int> queue, byte from, byte to, bool inside, int n)
    {
        if (inside && voxels[n] == from)
        {
            voxels[n] = to;
            queue.Enqueue(n);
        }
    }

    /// <summary>
    /// In every slice k, sets the clear voxels that cannot be reached from the slice's border through clear voxels
    /// (4-connected): the holes the body encloses in that slice.
    /// </summary>
    private static void FillSliceHoles(byte[] voxels, GridGeometry g)
    {
        int nx = g.SizeX, ny = g.SizeY;
        var outside = new bool[nx * ny];
        var queue = new Queue<int>();
        for (int k = 0; k < g.SizeZ; k++)
        {
            int offset = k * nx * ny;
            Array.Clear(outside);
            for (int i = 0; i < nx; i++)
            {
                Reach(voxels, outside, queue, offset, true, i);
                Reach(voxels, outside, queue, offset, true, (ny - 1) * nx + i);
            }

            for (int j = 0; j < ny; j++)
            {
                Reach(voxels, outside, queue, offset, true, j * nx);
                Reach(voxels, outside, queue, offset, true, j * nx + nx - 1);
            }

            while (queue.TryDequeue(out int p))
            {
                int i = p % nx, j = p / nx;
                Reach(voxels, outside, queue, offset, i > 0, p - 1);
                Reach(voxels, outside, queue, offset, i < nx - 1, p + 1);
                Reach(voxels, outside, queue, offset, j > 0, p - nx);
                Reach(voxels, outside, queue, offset, j < ny - 1, p + nx);
            }

            for (int p = 0; p < outside.Length; p++)
            {
                if (!outside[p])
                {
                    voxels[offset + p] = 1;
                }
            }
        }
    }

    private static void Reach(byte[] voxels, bool[] outside, Queue<int> queue, int offset, bool inside, int p)
    {
        if (inside && !outside[p] && voxels[offset + p] == 0)
        {
            outside[p] = true;
            queue.Enqueue(p);
        }
    }
}
