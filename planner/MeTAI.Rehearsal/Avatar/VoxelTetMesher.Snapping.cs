using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

public static partial class VoxelTetMesher
{
    /// <summary>
    /// Surface snapping: every skin node moves along its normal to the nearest point where the body's indicator
    /// (trilinear over the voxels, 1 inside, 0 outside) is ½ — the body's isosurface; every node where exactly two
    /// tissues meet moves, along the interface normal, onto the isosurface of the inner tissue (the higher label).
    /// Nodes on field-of-view cut planes move only within their plane; junctions of three or more tissues stay. A node
    /// moves at most <see cref="MeshingOptions.SnapRangeCells"/> cells. Each move is guarded: it is taken whole, or half,
    /// or a quarter, whichever first leaves every tet around the node within the <see cref="MeshQuality"/> limits, or not
    /// at all. Two sweeps (skin, then interfaces), with the interior relaxed in between so that more moves fit.
    /// </summary>
    private static (int SkinNodes, int InterfaceNodes, bool[] OnSurface) SnapToSurfaces(TetMesh mesh, LabelVolume labels, byte[] planeMask, MeshingOptions options)
    {
        Vec3[] x = mesh.NodesLps;
        GridGeometry g = labels.Geometry;
        double range = options.SnapRangeCells * options.CellMm;
        double step = 0.25 * Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        int[] tetStart = NodeTets(mesh, out int[] tetsOfNode);
        var guard = new SnapGuard(mesh, tetStart, tetsOfNode);
        byte[] inner = InterfaceLabels(mesh);
        var onSurface = new bool[x.Length];
        int skinNodes = 0, interfaceNodes = 0;
        for (int v = 0; v < x.Length; v++)
        {
            skinNodes += mesh.IsBoundaryNode[v] ? 1 : 0;
            interfaceNodes += !mesh.IsBoundaryNode[v] && inner[v] != 0 ? 1 : 0;
        }

        for (int sweep = 0; sweep < 3; sweep++)
        {
            Vec3[] skinNormals = SkinNormals(mesh);
            for (int v = 0; v < x.Length; v++)
            {
                if (!mesh.IsBoundaryNode[v] || onSurface[v])
                {
                    continue;
                }

                Vec3 n = InPlane(skinNormals[v], planeMask[v], g.Direction);
                if (planeMask[v] != 0 && n.Length <= 1e-6 * skinNormals[v].Length)
                {
                    onSurface[v] = true; // inside a cut plane's face: the image ends the body there, and so does the mesh
                }
                else if (n.Length > 1e-9 && Crossing(labels, 0, x[v], n.Normalized(), range, step, out Vec3 p))
                {
                    onSurface[v] = guard.TryMove(v, p);
                }
            }

            Vec3[] interfaceNormals = InterfaceNormals(mesh, inner);
            for (int v = 0; v < x.Length; v++)
            {
                if (mesh.IsBoundaryNode[v] || inner[v] == 0 || onSurface[v])
                {
                    continue;
                }

                Vec3 n = interfaceNormals[v];
                if (n.Length > 1e-9 && Crossing(labels, inner[v], x[v], n.Normalized(), range, step, out Vec3 p))
                {
                    onSurface[v] = guard.TryMove(v, p);
                }
            }

            RelaxInterior(mesh, onSurface, inner, guard);
        }

        return (skinNodes, interfaceNodes, onSurface);
    }

    /// <summary><paramref name="n"/> without its components across the field-of-view cut planes the node lies on.</summary>
    private static Vec3 InPlane(Vec3 n, byte planeMask, Mat3 direction)
    {
        for (int axis = 0; axis < 3; axis++)
        {
            if ((planeMask & (1 << axis)) != 0)
            {
                Vec3 a = direction.Column(axis);
                n -= a * Vec3.Dot(n, a);
            }
        }

        return n;
    }

    /// <summary>Tets around each node (CSR: the tets of v at <c>start[v] … start[v+1]</c>).</summary>
    private static int[] NodeTets(TetMesh mesh, out int[] tets)
    {
        var start = new int[mesh.NodeCount + 1];
        foreach (int v in mesh.Tets)
        {
            start[v + 1]++;
        }

        for (int v = 0; v < mesh.NodeCount; v++)
        {
            start[v + 1] += start[v];
        }

        tets = new int[mesh.Tets.Length];
        var fill = (int[])start.Clone();
        for (int i = 0; i < mesh.Tets.Length; i++)
        {
            tets[fill[mesh.Tets[i]]++] = i >> 2;
        }

        return start;
    }

    /// <summary>Area-weighted outward normals of the skin at each boundary node.</summary>
    private static Vec3[] SkinNormals(TetMesh mesh)
    {
        Vec3[] x = mesh.NodesLps;
        int[] faces = mesh.BoundaryFaces;
        var normals = new Vec3[x.Length];
        for (int f = 0; f < faces.Length; f += 3)
        {
            Vec3 a = x[faces[f]], b = x[faces[f + 1]], c = x[faces[f + 2]];
            Vec3 areaNormal = Vec3.Cross(b - a, c - a);
            normals[faces[f]] += areaNormal;
            normals[faces[f + 1]] += areaNormal;
            normals[faces[f + 2]] += areaNormal;
        }

        return normals;
    }

    /// <summary>Per node: the inner label (1 + tissue, the higher of the two) where exactly two tissues meet, else 0.</summary>
    private static byte[] InterfaceLabels(TetMesh mesh)
    {
        int n = mesh.NodeCount;
        var first = new int[n];
        var second = new int[n];
        var many = new bool[n];
        Array.Fill(first, -1);
        Array.Fill(second, -1);
        for (int t = 0; t < mesh.TetCount; t++)
        {
            int tissue = mesh.TetTissue[t];
            for (int c = 0; c < 4; c++)
            {
                int v = mesh.Tets[4 * t + c];
                if (first[v] < 0 || first[v] == tissue)
                {
                    first[v] = tissue;
                }
                else if (second[v] < 0 || second[v] == tissue)
                {
                    second[v] = tissue;
                }
                else
                {
                    many[v] = true;
                }
            }
        }

        var inner = new byte[n];
        for (int v = 0; v < n; v++)
        {
            inner[v] = second[v] >= 0 && !many[v] ? (byte)(Math.Max(first[v], second[v]) + 1) : (byte)0;
        }

        return inner;
    }

    /// <summary>Area-weighted normals of the faces between two tissues, pointing out of each node's inner tissue.</summary>
    private static Vec3[] InterfaceNormals(TetMesh mesh, byte[] inner)
    {
        Vec3[] x = mesh.NodesLps;
        var normals = new Vec3[x.Length];
        for (int t = 0; t < mesh.TetCount; t++)
        {
            for (int f = 0; f < 4; f++)
            {
                int u = mesh.Neighbors[4 * t + f];
                if (u < 0 || mesh.TetTissue[u] == mesh.TetTissue[t])
                {
                    continue;
                }

                int[] fv = TetMesh.FaceVertices[f];
                int a = mesh.Tets[4 * t + fv[0]], b = mesh.Tets[4 * t + fv[1]], c = mesh.Tets[4 * t + fv[2]];
                Vec3 areaNormal = Vec3.Cross(x[b] - x[a], x[c] - x[a]);
                byte label = (byte)(mesh.TetTissue[t] + 1);
                foreach (int v in (ReadOnlySpan<int>)[a, b, c])
                {
                    if (inner[v] == label)
                    {
                        normals[v] += areaNormal;
                    }
                }
            }
        }

        return normals;
    }

    /// <summary>
    /// The crossing of the ½ level of <paramref name="label"/>'s indicator (0: the body) nearest to <paramref name="x"/>
    /// along ±<paramref name="n"/> within <paramref name="range"/> mm, found by marching in <paramref name="step"/> mm
    /// steps and bisecting.
    /// </summary>
    private static bool Crossing(LabelVolume labels, byte label, Vec3 x, Vec3 n, double range, double step, out Vec3 point)
    {
        point = x;
        double g0 = Indicator(labels, label, x) - 0.5;
        if (g0 == 0)
        {
            return true;
        }

        double previousPlus = g0, previousMinus = g0;
        for (double t = step; t <= range + 1e-9; t += step)
        {
            double plus = Indicator(labels, label, x + n * t) - 0.5;
            if (Math.Sign(plus) != Math.Sign(previousPlus))
            {
                point = x + n * Bisect(labels, label, x, n, t - step, t, previousPlus);
                return true;
            }

            double minus = Indicator(labels, label, x - n * t) - 0.5;
            if (Math.Sign(minus) != Math.Sign(previousMinus))
            {
                point = x - n * Bisect(labels, label, x, -n, t - step, t, previousMinus);
                return true;
            }

            previousPlus = plus;
            previousMinus = minus;
        }

        return false;
    }

    private static double Bisect(LabelVolume labels, byte label, Vec3 x, Vec3 n, double lo, double hi, double valueLo)
    {
        for (int it = 0; it < 20; it++)
        {
            double mid = (lo + hi) / 2;
            double value = Indicator(labels, label, x + n * mid) - 0.5;
            if (Math.Sign(value) == Math.Sign(valueLo))
            {
                lo = mid;
                valueLo = value;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    /// <summary>Trilinear interpolation of "voxel has <paramref name="label"/>" (label 0: any body label), the edge voxels extended beyond the grid.</summary>
    private static double Indicator(LabelVolume labels, byte label, Vec3 pointLps)
    {
        GridGeometry g = labels.Geometry;
        Vec3 c = g.LpsToIndex(pointLps);
        int i0 = (int)Math.Floor(c.X), j0 = (int)Math.Floor(c.Y), k0 = (int)Math.Floor(c.Z);
        double fx = c.X - i0, fy = c.Y - j0, fz = c.Z - k0;
        double sum = 0;
        for (int dk = 0; dk < 2; dk++)
        {
            for (int dj = 0; dj < 2; dj++)
            {
                for (int di = 0; di < 2; di++)
                {
                    // Clamped to the grid: where the field of view cuts the body, the body goes on beyond the image.
                    int i = Math.Clamp(i0 + di, 0, g.SizeX - 1), j = Math.Clamp(j0 + dj, 0, g.SizeY - 1), k = Math.Clamp(k0 + dk, 0, g.SizeZ - 1);
                    byte l = labels.Labels[g.Index(i, j, k)];
                    if (label == 0 ? l != 0 : l == label)
                    {
                        sum += (di == 0 ? 1 - fx : fx) * (dj == 0 ? 1 - fy : fy) * (dk == 0 ? 1 - fz : fz);
                    }
                }
            }
        }

        return sum;
    }

    /// <summary>
    /// Moves each interior node that is on no surface toward the mean of its edge neighbours (guarded like a snap): the
    /// tets between the snapped surfaces and the interior share the displacement, so that more snaps fit in the next sweep.
    /// </summary>
    private static void RelaxInterior(TetMesh mesh, bool[] onSurface, byte[] inner, SnapGuard guard)
    {
        Vec3[] x = mesh.NodesLps;
        for (int pass = 0; pass < 3; pass++)
        {
            for (int v = 0; v < x.Length; v++)
            {
                if (onSurface[v] || mesh.IsBoundaryNode[v] || inner[v] != 0)
                {
                    continue;
                }

                Vec3 sum = Vec3.Zero;
                int count = 0;
                foreach (int t in guard.TetsOf(v))
                {
                    for (int c = 0; c < 4; c++)
                    {
                        int u = mesh.Tets[4 * t + c];
                        if (u != v)
                        {
                            sum += x[u];
                            count++;
                        }
                    }
                }

                if (count > 0)
                {
                    guard.TryMove(v, Vec3.Lerp(x[v], sum / count, 0.5));
                }
            }
        }
    }

    /// <summary>Guarded node moves: a move is kept only when every tet around the node stays within the quality limits.</summary>
    private sealed class SnapGuard(TetMesh mesh, int[] tetStart, int[] tetsOfNode)
    {
        public ReadOnlySpan<int> TetsOf(int v) => tetsOfNode.AsSpan(tetStart[v], tetStart[v + 1] - tetStart[v]);

        /// <summary>Moves node <paramref name="v"/> to <paramref name="target"/>, or half or a quarter of the way; true when the whole move was taken.</summary>
        public bool TryMove(int v, Vec3 target)
        {
            Vec3[] x = mesh.NodesLps;
            Vec3 from = x[v];
            foreach (double fraction in (ReadOnlySpan<double>)[1, 0.5, 0.25])
            {
                x[v] = Vec3.Lerp(from, target, fraction);
                if (AllAcceptable(v))
                {
                    return fraction == 1;
                }
            }

            x[v] = from;
            return false;
        }

        private bool AllAcceptable(int v)
        {
            Vec3[] x = mesh.NodesLps;
            foreach (int t in TetsOf(v))
            {
                int q = 4 * t;
                if (!MeshQuality.IsAcceptable(x[mesh.Tets[q]], x[mesh.Tets[q + 1]], x[mesh.Tets[q + 2]], x[mesh.Tets[q + 3]]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Quality repair: a tet that is inverted, outside the quality limits, or (without snapping, which legitimately shrinks
    /// the tets it cuts the staircase back with) squashed below a fifth of its lattice volume
    /// (<see cref="MeshQuality.MinDihedralLimitDeg"/>, <see cref="MeshQuality.MaxAspectRatioLimit"/>) moves its nodes
    /// halfway back to their lattice positions, up to 11 times, then all the way; repeated until no tet is bad. Lattice
    /// tets are within the limits (54.7° minimum dihedral angle, aspect ratio 1.37), so the loop ends with none bad.
    /// Returns which nodes it moved.
    /// </summary>
    private static bool[] RepairQuality(TetMesh mesh, Vec3[] rest, bool snapping)
    {
        Vec3[] x = mesh.NodesLps;
        var restVolume = new double[mesh.TetCount];
        for (int t = 0; t < mesh.TetCount; t++)
        {
            int q = 4 * t;
            restVolume[t] = TetMesh.SignedVolume(rest[mesh.Tets[q]], rest[mesh.Tets[q + 1]], rest[mesh.Tets[q + 2]], rest[mesh.Tets[q + 3]]);
        }

        var touched = new bool[x.Length];
        bool changed = true;
        for (int pass = 0; changed; pass++)
        {
            changed = false;
            for (int t = 0; t < mesh.TetCount; t++)
            {
                int q = 4 * t;
                Vec3 a = x[mesh.Tets[q]], b = x[mesh.Tets[q + 1]], c = x[mesh.Tets[q + 2]], d = x[mesh.Tets[q + 3]];
                if (MeshQuality.IsAcceptable(a, b, c, d) && (snapping || TetMesh.SignedVolume(a, b, c, d) >= 0.2 * restVolume[t]))
                {
                    continue;
                }

                for (int k = 0; k < 4; k++)
                {
                    int v = mesh.Tets[q + k];
                    if (x[v] != rest[v])
                    {
                        x[v] = pass < 11 ? Vec3.Lerp(rest[v], x[v], 0.5) : rest[v];
                        touched[v] = true;
                        changed = true;
                    }
                }
            }
        }

        return touched;
    }
}
