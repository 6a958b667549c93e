using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Voxel-to-tet meshing: a regular lattice of <see cref="MeshingOptions.CellMm"/> is laid over the body; a cell whose
/// sample points are mostly inside the body becomes a hexahedron split into 5 tets (the split alternates with cell
/// parity so neighbouring cells share face diagonals: the mesh is conforming). Each tet takes the majority tissue of five
/// points inside it. The boundary surface is then smoothed with Taubin's λ/μ filter (no shrinkage), keeping
/// field-of-view cut planes flat and backing off any move that would flatten or invert a tet.
/// </summary>
public static class VoxelTetMesher
{
    // Cube corners c = x + 2y + 4z. Even cells: a central tet on the odd corners plus four corner tets; odd cells mirror it.
    private static readonly int[][] EvenTets = [[1, 2, 4, 7], [0, 1, 2, 4], [3, 1, 2, 7], [5, 1, 4, 7], [6, 2, 4, 7]];
    private static readonly int[][] OddTets = [[0, 3, 5, 6], [1, 0, 3, 5], [2, 0, 3, 6], [4, 0, 5, 6], [7, 3, 5, 6]];

    /// <summary>Meshes the labelled body.</summary>
    /// <exception cref="ArgumentException">The body is empty or too small for the cell size.</exception>
    public static TetMesh Build(LabelVolume labels, MeshingOptions options)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        GridGeometry g = labels.Geometry;
        byte[] lab = labels.Labels;

        // Body bounds in voxel indices.
        int i0 = int.MaxValue, j0 = int.MaxValue, k0 = int.MaxValue, i1 = -1, j1 = -1, k1 = -1;
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                int row = g.Index(0, j, k);
                for (int i = 0; i < g.SizeX; i++)
                {
                    if (lab[row + i] != 0)
                    {
                        i0 = Math.Min(i0, i);
                        i1 = Math.Max(i1, i);
                        j0 = Math.Min(j0, j);
                        j1 = Math.Max(j1, j);
                        k0 = Math.Min(k0, k);
                        k1 = Math.Max(k1, k);
                    }
                }
            }
        }

        if (i1 < 0)
        {
            throw new ArgumentException("The body outline is empty; nothing to mesh.", nameof(labels));
        }

        var step = new Vec3(options.CellMm / g.SpacingMm.X, options.CellMm / g.SpacingMm.Y, options.CellMm / g.SpacingMm.Z);
        var origin = new Vec3(i0 - 0.5, j0 - 0.5, k0 - 0.5);
        int nx = Math.Max(1, (int)Math.Ceiling((i1 - i0 + 1) / step.X - 1e-9));
        int ny = Math.Max(1, (int)Math.Ceiling((j1 - j0 + 1) / step.Y - 1e-9));
        int nz = Math.Max(1, (int)Math.Ceiling((k1 - k0 + 1) / step.Z - 1e-9));

        // Cell occupancy from a regular sub-sample of each cell.
        double minSpacing = Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        int s = Math.Clamp((int)Math.Ceiling(options.CellMm / minSpacing), 2, 8);
        var inside = new bool[nx * ny * nz];
        var majority = new byte[nx * ny * nz];
        Span<int> votes = stackalloc int[256];
        for (int c = 0; c < nz; c++)
        {
            for (int b = 0; b < ny; b++)
            {
                for (int a = 0; a < nx; a++)
                {
                    votes.Clear();
                    int hits = 0;
                    for (int sc = 0; sc < s; sc++)
                    {
                        for (int sb = 0; sb < s; sb++)
                        {
                            for (int sa = 0; sa < s; sa++)
                            {
                                byte l = labels.AtIndex(
                                    origin.X + (a + (sa + 0.5) / s) * step.X,
                                    origin.Y + (b + (sb + 0.5) / s) * step.Y,
                                    origin.Z + (c + (sc + 0.5) / s) * step.Z);
                                if (l != 0)
                                {
                                    hits++;
                                    votes[l]++;
                                }
                            }
                        }
                    }

                    int cell = a + nx * (b + ny * c);
                    inside[cell] = hits >= options.OccupancyThreshold * s * s * s;
                    majority[cell] = ArgMax(votes);
                }
            }
        }

        // Nodes at the corners of included cells, in lattice order.
        int px = nx + 1, py = ny + 1;
        var nodeOf = new int[px * py * (nz + 1)];
        Array.Fill(nodeOf, -1);
        var nodes = new List<Vec3>();
        var nodeLattice = new List<(int A, int B, int C)>();
        var cellFirstTet = new int[nx * ny * nz];
        Array.Fill(cellFirstTet, -1);
        var tets = new List<int>();
        var tissue = new List<byte>();
        Span<int> corner = stackalloc int[8];
        var lattice = new MeshLattice(g, origin, step, nx, ny, nz, cellFirstTet);
        var strict = new bool[256];
        foreach (byte l in options.StrictLabels)
        {
            strict[l] = true;
        }

        for (int c = 0; c < nz; c++)
        {
            for (int b = 0; b < ny; b++)
            {
                for (int a = 0; a < nx; a++)
                {
                    int cell = a + nx * (b + ny * c);
                    if (!inside[cell])
                    {
                        continue;
                    }

                    for (int q = 0; q < 8; q++)
                    {
                        int qa = a + (q & 1), qb = b + ((q >> 1) & 1), qc = c + ((q >> 2) & 1);
                        int key = qa + px * (qb + py * qc);
                        if (nodeOf[key] < 0)
                        {
                            nodeOf[key] = nodes.Count;
                            nodes.Add(lattice.NodeLps(qa, qb, qc));
                            nodeLattice.Add((qa, qb, qc));
                        }

                        corner[q] = nodeOf[key];
                    }

                    cellFirstTet[cell] = tissue.Count;
                    int[][] split = ((a + b + c) & 1) == 0 ? EvenTets : OddTets;
                    foreach (int[] t in split)
                    {
                        int v0 = corner[t[0]], v1 = corner[t[1]], v2 = corner[t[2]], v3 = corner[t[3]];
                        if (TetMesh.SignedVolume(nodes[v0], nodes[v1], nodes[v2], nodes[v3]) < 0)
                        {
                            (v2, v3) = (v3, v2);
                        }

                        tets.Add(v0);
                        tets.Add(v1);
                        tets.Add(v2);
                        tets.Add(v3);
                        tissue.Add(TetLabel(labels, lattice, nodeLattice[v0], nodeLattice[v1], nodeLattice[v2], nodeLattice[v3], majority[cell], strict));
                    }
                }
            }
        }

        if (tissue.Count == 0)
        {
            throw new ArgumentException($"No lattice cell of {options.CellMm} mm is mostly inside the body; use a smaller cell size.", nameof(options));
        }

        // Planes where the image cuts the body: the body touches that side of the grid.
        var truncation = new bool[nodes.Count];
        bool cutI0 = i0 == 0, cutI1 = i1 == g.SizeX - 1, cutJ0 = j0 == 0, cutJ1 = j1 == g.SizeY - 1, cutK0 = k0 == 0, cutK1 = k1 == g.SizeZ - 1;
        var planeMask = new byte[nodes.Count];
        for (int n = 0; n < nodes.Count; n++)
        {
            (int qa, int qb, int qc) = nodeLattice[n];
            byte m = 0;
            m |= (byte)(cutI0 && qa == 0 || cutI1 && qa == nx ? 1 : 0);
            m |= (byte)(cutJ0 && qb == 0 || cutJ1 && qb == ny ? 2 : 0);
            m |= (byte)(cutK0 && qc == 0 || cutK1 && qc == nz ? 4 : 0);
            planeMask[n] = m;
        }

        var mesh = new TetMesh([.. nodes], [.. tets], [.. tissue], lattice, truncation);
        for (int n = 0; n < nodes.Count; n++)
        {
            truncation[n] = planeMask[n] != 0 && mesh.IsBoundaryNode[n];
        }

        if (options.SmoothingIterations > 0)
        {
            long bodyVoxels = 0;
            foreach (byte l in lab)
            {
                bodyVoxels += l != 0 ? 1 : 0;
            }

            SmoothBoundary(mesh, planeMask, options, bodyVoxels * g.VoxelVolumeMm3);
        }

        return mesh;
    }

    private static byte TetLabel(LabelVolume labels, MeshLattice lattice, (int A, int B, int C) p0, (int A, int B, int C) p1, (int A, int B, int C) p2, (int A, int B, int C) p3, byte cellMajority, bool[] strict)
    {
        // Five points: the centroid and the midpoints between it and each vertex (lattice coordinates → voxel index).
        Span<int> votes = stackalloc int[256];
        votes.Clear();
        double ca = (p0.A + p1.A + p2.A + p3.A) / 4.0, cb = (p0.B + p1.B + p2.B + p3.B) / 4.0, cc = (p0.C + p1.C + p2.C + p3.C) / 4.0;
        Vote(labels, lattice, ca, cb, cc, votes);
        Vote(labels, lattice, (ca + p0.A) / 2, (cb + p0.B) / 2, (cc + p0.C) / 2, votes);
        Vote(labels, lattice, (ca + p1.A) / 2, (cb + p1.B) / 2, (cc + p1.C) / 2, votes);
        Vote(labels, lattice, (ca + p2.A) / 2, (cb + p2.B) / 2, (cc + p2.C) / 2, votes);
        Vote(labels, lattice, (ca + p3.A) / 2, (cb + p3.B) / 2, (cc + p3.C) / 2, votes);
        byte best = ArgMax(votes);
        if (best != 0 && strict[best] && votes[best] < 4)
        {
            // A strict label (bone) without a clear majority gives way to the best other label.
            votes[best] = 0;
            byte other = ArgMax(votes);
            best = other != 0 ? other : cellMajority != 0 && !strict[cellMajority] ? cellMajority : best;
        }

        return (byte)((best != 0 ? best : cellMajority != 0 ? cellMajority : 1) - 1);
    }

    private static void Vote(LabelVolume labels, MeshLattice lattice, double a, double b, double c, Span<int> votes)
    {
        byte l = labels.AtIndex(lattice.OriginIndex.X + a * lattice.StepIndex.X, lattice.OriginIndex.Y + b * lattice.StepIndex.Y, lattice.OriginIndex.Z + c * lattice.StepIndex.Z);
        if (l != 0)
        {
            votes[l]++;
        }
    }

    // Most votes; ties go to the higher label (painted later, so it has priority). 0 when there are no votes.
    private static byte ArgMax(ReadOnlySpan<int> votes)
    {
        int best = 0;
        for (int l = 1; l < votes.Length; l++)
        {
            if (votes[l] > 0 && votes[l] >= votes[best])
            {
                best = l;
            }
        }

        return (byte)best;
    }

    private static void SmoothBoundary(TetMesh mesh, byte[] planeMask, MeshingOptions options, double bodyVolumeMm3)
    {
        Vec3[] x = mesh.NodesLps;
        Vec3[] rest = (Vec3[])x.Clone();
        int n = x.Length;

        // Boundary-surface neighbours of each boundary node (CSR).
        var neighbourSets = new SortedSet<int>?[n];
        int[] faces = mesh.BoundaryFaces;
        for (int f = 0; f < faces.Length; f += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int p = faces[f + e], q = faces[f + (e + 1) % 3];
                (neighbourSets[p] ??= []).Add(q);
                (neighbourSets[q] ??= []).Add(p);
            }
        }

        var start = new int[n + 1];
        for (int v = 0; v < n; v++)
        {
            start[v + 1] = start[v] + (neighbourSets[v]?.Count ?? 0);
        }

        var adjacency = new int[start[n]];
        for (int v = 0; v < n; v++)
        {
            if (neighbourSets[v] is { } set)
            {
                set.CopyTo(adjacency, start[v]);
            }
        }

        Mat3 dir = mesh.Lattice.Grid.Direction;
        Vec3 axisI = dir.Column(0), axisJ = dir.Column(1), axisK = dir.Column(2);
        var delta = new Vec3[n];
        for (int it = 0; it < 2 * options.SmoothingIterations; it++)
        {
            double factor = (it & 1) == 0 ? options.TaubinLambda : options.TaubinMu;
            for (int v = 0; v < n; v++)
            {
                int count = start[v + 1] - start[v];
                if (count == 0)
                {
                    delta[v] = Vec3.Zero;
                    continue;
                }

                Vec3 mean = Vec3.Zero;
                for (int a = start[v]; a < start[v + 1]; a++)
                {
                    mean += x[adjacency[a]];
                }

                Vec3 d = (mean / count - x[v]) * factor;

                // Field-of-view cut planes stay flat: no motion along their normals.
                byte m = planeMask[v];
                if ((m & 1) != 0)
                {
                    d -= axisI * Vec3.Dot(d, axisI);
                }

                if ((m & 2) != 0)
                {
                    d -= axisJ * Vec3.Dot(d, axisJ);
                }

                if ((m & 4) != 0)
                {
                    d -= axisK * Vec3.Dot(d, axisK);
                }

                delta[v] = d;
            }

            for (int v = 0; v < n; v++)
            {
                x[v] += delta[v];
            }
        }

        // The staircase (cells at least half inside) overestimates convex bodies; move the skin along its normals so the
        // mesh holds the body's volume: one offset δ = (V_body − V_mesh) / A_skin for every free skin node.
        var normals = new Vec3[n];
        double area = 0;
        for (int f = 0; f < faces.Length; f += 3)
        {
            Vec3 a = x[faces[f]], b = x[faces[f + 1]], c = x[faces[f + 2]];
            Vec3 areaNormal = Vec3.Cross(b - a, c - a) / 2;
            area += areaNormal.Length;
            normals[faces[f]] += areaNormal;
            normals[faces[f + 1]] += areaNormal;
            normals[faces[f + 2]] += areaNormal;
        }

        double offset = area > 0 ? (bodyVolumeMm3 - mesh.TotalVolumeMm3()) / area : 0;
        for (int v = 0; v < n; v++)
        {
            if (start[v + 1] == start[v] || planeMask[v] != 0 || normals[v].LengthSquared == 0)
            {
                continue;
            }

            x[v] += normals[v].Normalized() * offset;
        }

        // Back off moves that squash a tet below a fifth of its lattice volume (or invert it).
        var restVolume = new double[mesh.TetCount];
        for (int t = 0; t < mesh.TetCount; t++)
        {
            int q = 4 * t;
            restVolume[t] = TetMesh.SignedVolume(rest[mesh.Tets[q]], rest[mesh.Tets[q + 1]], rest[mesh.Tets[q + 2]], rest[mesh.Tets[q + 3]]);
        }

        for (int pass = 0; pass < 12; pass++)
        {
            bool changed = false;
            for (int t = 0; t < mesh.TetCount; t++)
            {
                if (mesh.TetVolumeMm3(t) >= 0.2 * restVolume[t])
                {
                    continue;
                }

                changed = true;
                for (int c = 0; c < 4; c++)
                {
                    int v = mesh.Tets[4 * t + c];
                    x[v] = pass < 11 ? Vec3.Lerp(rest[v], x[v], 0.5) : rest[v];
                }
            }

            if (!changed)
            {
                break;
            }
        }
    }
}
