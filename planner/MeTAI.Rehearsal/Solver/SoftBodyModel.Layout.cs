using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Solver;

public sealed partial class SoftBodyModel
{
    /// <summary>
    /// Splits the active tets into <see cref="Partitions"/> slabs along the longest axis, finds the boundary tets (those
    /// touching a node of two slabs), colours each slab's interior and the boundary separately, and lays the slots out
    /// slab by slab, boundary last. Slab 0 is made smaller by the boundary's size, as worker 0 also does the boundary.
    /// </summary>
    private void LayOut(List<int> active, Vec3[] restM)
    {
        int[] order = SortAlongLongestAxis(active, restM);
        int[] region = AssignRegions(active, order, out bool[] boundary);
        LaySlots(active, region, boundary);
        AssignNodes(active, region, boundary);
    }

    /// <summary>The active tets (indices into <paramref name="active"/>) sorted by centroid along the longest axis of their extent.</summary>
    private int[] SortAlongLongestAxis(List<int> active, Vec3[] restM)
    {
        TetMesh mesh = Mesh;
        int count = active.Count;
        var centroid = new double[count];
        Vec3 lo = new(double.MaxValue, double.MaxValue, double.MaxValue), hi = -lo;
        for (int a = 0; a < count; a++)
        {
            int t = active[a];
            Vec3 c = (restM[mesh.Tets[4 * t]] + restM[mesh.Tets[4 * t + 1]] + restM[mesh.Tets[4 * t + 2]] + restM[mesh.Tets[4 * t + 3]]) / 4;
            lo = Vec3.Min(lo, c);
            hi = Vec3.Max(hi, c);
        }

        Vec3 extent = hi - lo;
        int axis = extent.X >= extent.Y && extent.X >= extent.Z ? 0 : extent.Y >= extent.Z ? 1 : 2;
        var order = new int[count];
        for (int a = 0; a < count; a++)
        {
            int t = active[a];
            order[a] = a;
            centroid[a] = (restM[mesh.Tets[4 * t]][axis] + restM[mesh.Tets[4 * t + 1]][axis] + restM[mesh.Tets[4 * t + 2]][axis] + restM[mesh.Tets[4 * t + 3]][axis]) / 4;
        }

        // Stable order: by centroid, ties by mesh index.
        Array.Sort(order, (i, j) => centroid[i] != centroid[j] ? centroid[i].CompareTo(centroid[j]) : i.CompareTo(j));
        return order;
    }

    /// <summary>
    /// The region of each active tet, in slabs of the sorted order, and (<paramref name="boundary"/>) whether it touches a
    /// node of two regions. Two passes: the second sizes region 0 by the boundary the first found.
    /// </summary>
    private int[] AssignRegions(List<int> active, int[] order, out bool[] boundary)
    {
        int count = active.Count, p = Partitions;
        var region = new int[count];
        boundary = new bool[count];
        double boundaryShare = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            // Region r takes an equal share of the sorted tets, except region 0, which gives up the boundary's share.
            double first = p == 1 ? 1 : Math.Max(0.05, 1.0 / p - boundaryShare * (p - 1) / p);
            double rest = p == 1 ? 0 : (1 - first) / (p - 1);
            for (int k = 0; k < count; k++)
            {
                double f = (k + 0.5) / count;
                region[order[k]] = f < first ? 0 : Math.Min(p - 1, 1 + (int)((f - first) / rest));
            }

            BoundaryTetCount = MarkBoundary(active, region, boundary);
            boundaryShare = (double)BoundaryTetCount / count;
        }

        return region;
    }

    /// <summary>Slot layout: the regions' interior colours, then the boundary colours.</summary>
    private void LaySlots(List<int> active, int[] region, bool[] boundary)
    {
        int count = active.Count, p = Partitions;
        var slotTet = new List<int>(count);
        RegionColourStarts = new int[p][];
        int colours = 0;
        for (int r = 0; r <= p; r++)
        {
            var members = new List<int>();
            for (int a = 0; a < count; a++)
            {
                if (r < p ? !boundary[a] && region[a] == r : boundary[a])
                {
                    members.Add(active[a]);
                }
            }

            int[] starts = AppendColoured(members, slotTet);
            colours += starts.Length - 1;
            if (r < p)
            {
                RegionColourStarts[r] = starts;
            }
            else
            {
                BoundaryColourStarts = starts;
            }
        }

        ColourCount = colours;
        SlotTet = [.. slotTet];
    }

    /// <summary>
    /// Node ownership: a node touched by a region's interior tets belongs to that region (interior tets of two regions
    /// never share a node); nodes only boundary tets (or no active tet) touch are shared, handled before the boundary.
    /// </summary>
    private void AssignNodes(List<int> active, int[] region, bool[] boundary)
    {
        TetMesh mesh = Mesh;
        int p = Partitions;
        var owner = new int[mesh.NodeCount];
        Array.Fill(owner, -1);
        for (int a = 0; a < active.Count; a++)
        {
            for (int c = 0; !boundary[a] && c < 4; c++)
            {
                owner[mesh.Tets[4 * active[a] + c]] = region[a];
            }
        }

        var lists = new List<int>[p + 1];
        for (int r = 0; r <= p; r++)
        {
            lists[r] = [];
        }

        for (int v = 0; v < mesh.NodeCount; v++)
        {
            lists[owner[v] >= 0 ? owner[v] : p].Add(v);
        }

        RegionNodes = new int[p][];
        for (int r = 0; r < p; r++)
        {
            RegionNodes[r] = [.. lists[r]];
        }

        SharedNodes = [.. lists[p]];
    }

    private int MarkBoundary(List<int> active, int[] region, bool[] boundary)
    {
        TetMesh mesh = Mesh;
        var nodeRegions = new ulong[mesh.NodeCount];
        for (int a = 0; a < active.Count; a++)
        {
            for (int c = 0; c < 4; c++)
            {
                nodeRegions[mesh.Tets[4 * active[a] + c]] |= 1UL << region[a];
            }
        }

        int n = 0;
        for (int a = 0; a < active.Count; a++)
        {
            bool shared = false;
            for (int c = 0; c < 4; c++)
            {
                ulong bits = nodeRegions[mesh.Tets[4 * active[a] + c]];
                shared |= (bits & (bits - 1)) != 0;
            }

            boundary[a] = shared;
            n += shared ? 1 : 0;
        }

        return n;
    }

    private int[] AppendColoured(List<int> members, List<int> slotTet)
    {
        var tets = new int[4 * members.Count];
        for (int m = 0; m < members.Count; m++)
        {
            Array.Copy(Mesh.Tets, 4 * members[m], tets, 4 * m, 4);
        }

        int[] colour = TetColoring.Color(tets, Mesh.NodeCount, out int colourCount);
        var starts = new int[colourCount + 1];
        starts[0] = slotTet.Count;
        for (int c = 0; c < colourCount; c++)
        {
            for (int m = 0; m < members.Count; m++)
            {
                if (colour[m] == c)
                {
                    slotTet.Add(members[m]);
                }
            }

            // Pad each colour to a multiple of 8 with inert slots (−1: the extra fixed node, zero shape), so the SIMD
            // kernel runs full lanes and never needs a scalar tail.
            while ((slotTet.Count & 7) != 0)
            {
                slotTet.Add(-1);
            }

            starts[c + 1] = slotTet.Count;
        }

        return starts;
    }
}
