using MeTAI.Core.Geometry;

namespace MeTAI.Rehearsal.Avatar;

public static partial class VoxelTetMesher
{
    /// <summary>
    /// Fits the mesh to the surfaces: Taubin smoothing of the skin (cut planes kept flat); then either snapping of the
    /// skin and the tissue interfaces onto the label isosurfaces (<see cref="MeshingOptions.SnapToSurfaces"/>) or, without
    /// snapping, one offset of the skin that restores the body's volume; finally the quality repair.
    /// </summary>
    private static MeshConformity FitSurfaces(TetMesh mesh, LabelVolume labels, byte[] planeMask, MeshingOptions options, double bodyVolumeMm3)
    {
        Vec3[] x = mesh.NodesLps;
        Vec3[] rest = (Vec3[])x.Clone();
        if (options.SmoothingIterations > 0)
        {
            int[] start = BoundaryNeighbours(mesh, out int[] adjacency);
            Taubin(mesh, start, adjacency, planeMask, options);
            if (!options.SnapToSurfaces)
            {
                HoldVolume(mesh, start, planeMask, bodyVolumeMm3);
            }
        }

        // Smoothing can squash or flatten tets: repair toward the lattice first, so that snapping starts from a mesh within
        // the limits; every snap is then guarded, so the mesh stays within them.
        bool[] repaired = RepairQuality(mesh, rest, options.SnapToSurfaces);
        (int skinNodes, int interfaceNodes, bool[] snapped) = options.SnapToSurfaces
            ? SnapToSurfaces(mesh, labels, planeMask, options)
            : (0, 0, new bool[x.Length]);
        int skinKept = 0, interfaceKept = 0, repairedCount = 0;
        for (int v = 0; v < x.Length; v++)
        {
            repairedCount += repaired[v] ? 1 : 0;
            if (snapped[v])
            {
                skinKept += mesh.IsBoundaryNode[v] ? 1 : 0;
                interfaceKept += mesh.IsBoundaryNode[v] ? 0 : 1;
            }
        }

        return new MeshConformity(options.SnapToSurfaces, skinNodes, skinKept, interfaceNodes, interfaceKept, repairedCount);
    }

    /// <summary>Boundary-surface neighbours of each boundary node (CSR: the neighbours of v at <c>start[v] … start[v+1]</c>, ascending).</summary>
    private static int[] BoundaryNeighbours(TetMesh mesh, out int[] adjacency)
    {
        int n = mesh.NodeCount;
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

        adjacency = new int[start[n]];
        for (int v = 0; v < n; v++)
        {
            if (neighbourSets[v] is { } set)
            {
                set.CopyTo(adjacency, start[v]);
            }
        }

        return start;
    }

    /// <summary>Taubin's λ/μ passes over the boundary nodes; nodes on field-of-view cut planes do not move along their normals.</summary>
    private static void Taubin(TetMesh mesh, int[] start, int[] adjacency, byte[] planeMask, MeshingOptions options)
    {
        Vec3[] x = mesh.NodesLps;
        int n = x.Length;
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
    }

    /// <summary>
    /// The staircase (cells at least half inside) overestimates convex bodies; move the skin along its normals so the
    /// mesh holds the body's volume: one offset δ = (V_body − V_mesh) / A_skin for every free skin node.
    /// </summary>
    private static void HoldVolume(TetMesh mesh, int[] start, byte[] planeMask, double bodyVolumeMm3)
    {
        Vec3[] x = mesh.NodesLps;
        int[] faces = mesh.BoundaryFaces;
        var normals = new Vec3[x.Length];
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
        for (int v = 0; v < x.Length; v++)
        {
            if (start[v + 1] == start[v] || planeMask[v] != 0 || normals[v].LengthSquared == 0)
            {
                continue;
            }

            x[v] += normals[v].Normalized() * offset;
        }
    }
}
