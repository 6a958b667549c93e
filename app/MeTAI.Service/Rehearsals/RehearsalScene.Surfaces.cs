using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Service.Rehearsals;

/// <summary>The scene's triangle surfaces: per tissue of the avatar's tet mesh, and per ROI from its voxels.</summary>
public static partial class RehearsalScene
{
    private static readonly Dictionary<string, string> TissueColours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["body-wall"] = "#d8a48f",
        ["liver"] = "#8b4a2b",
        ["tumour"] = "#d03030",
        ["vessel"] = "#3050d0",
        ["bone"] = "#ece6d0",
    };

    // A tissue's surface: every face of its tets that lies on the mesh's boundary or against a tet of another tissue,
    // with the tet's outward winding. Organs share nodes where they touch, so neighbouring surfaces meet exactly.
    private static List<object> TissueSurfaces(PatientAvatar avatar)
    {
        TetMesh mesh = avatar.Mesh;
        var surfaces = new List<object>();
        for (int label = 0; label < avatar.Tissues.Count; label++)
        {
            var builder = new SurfaceBuilder();
            for (int t = 0; t < mesh.TetCount; t++)
            {
                if (mesh.TetTissue[t] != label)
                {
                    continue;
                }

                for (int f = 0; f < 4; f++)
                {
                    int n = mesh.Neighbors[(4 * t) + f];
                    if (n >= 0 && mesh.TetTissue[n] == label)
                    {
                        continue;
                    }

                    int[] local = TetMesh.FaceVertices[f];
                    builder.Triangle(
                        mesh.Tets[(4 * t) + local[0]], mesh.NodesLps[mesh.Tets[(4 * t) + local[0]]],
                        mesh.Tets[(4 * t) + local[1]], mesh.NodesLps[mesh.Tets[(4 * t) + local[1]]],
                        mesh.Tets[(4 * t) + local[2]], mesh.NodesLps[mesh.Tets[(4 * t) + local[2]]]);
                }
            }

            if (builder.TriangleCount == 0)
            {
                continue;
            }

            string tissue = avatar.Tissues[label].Name;
            surfaces.Add(new
            {
                name = "tissue:" + tissue,
                kind = "tissue",
                label = tissue,
                color = TissueColours.GetValueOrDefault(tissue, "#b0b0b0"),
                opacity = label == 0 ? 0.25 : 0.6,
                triangles = builder.TriangleCount,
                positions = builder.Positions,
                indices = builder.Indices,
                nodes = builder.Keys,
            });
        }

        return surfaces;
    }

    // An ROI's surface: the faces between its voxels and the voxels outside it (a blocky but exact surface of the mask
    // the rehearsal measured clearance against), wound outward.
    private static object RoiSurface(RtRoiMask roi)
    {
        VoxelMask mask = roi.Mask;
        GridGeometry g = mask.Geometry;
        var builder = new SurfaceBuilder();
        if (mask.TryGetBounds(out (int I, int J, int K) min, out (int I, int J, int K) max))
        {
            for (int k = min.K; k <= max.K; k++)
            {
                for (int j = min.J; j <= max.J; j++)
                {
                    for (int i = min.I; i <= max.I; i++)
                    {
                        if (mask[i, j, k])
                        {
                            VoxelFaces(mask, g, i, j, k, builder);
                        }
                    }
                }
            }
        }

        return new
        {
            name = "roi:" + mask.Name,
            kind = "roi",
            label = mask.Name,
            interpretedType = roi.InterpretedType,
            color = $"#{roi.Color.R:x2}{roi.Color.G:x2}{roi.Color.B:x2}",
            opacity = 0.9,
            triangles = builder.TriangleCount,
            positions = builder.Positions,
            indices = builder.Indices,
        };
    }

    private static void VoxelFaces(VoxelMask mask, GridGeometry g, int i, int j, int k, SurfaceBuilder builder)
    {
        int[] at = [i, j, k];
        for (int axis = 0; axis < 3; axis++)
        {
            int u = (axis + 1) % 3, v = (axis + 2) % 3;
            for (int sign = -1; sign <= 1; sign += 2)
            {
                int[] next = [i, j, k];
                next[axis] += sign;
                if (g.Contains(next[0], next[1], next[2]) && mask[next[0], next[1], next[2]])
                {
                    continue;
                }

                // Corners on the doubled lattice (voxel centres at even numbers, faces at odd), counter-clockwise from outside.
                var corners = new (int, int, int)[4];
                (int du, int dv)[] order = sign > 0 ? [(-1, -1), (1, -1), (1, 1), (-1, 1)] : [(-1, -1), (-1, 1), (1, 1), (1, -1)];
                for (int c = 0; c < 4; c++)
                {
                    int[] p = [2 * at[0], 2 * at[1], 2 * at[2]];
                    p[axis] += sign;
                    p[u] += order[c].du;
                    p[v] += order[c].dv;
                    corners[c] = (p[0], p[1], p[2]);
                }

                builder.Quad(corners, g);
            }
        }
    }

    // Collects triangles with shared vertices: positions (x, y, z in LPS mm, to 0.01 mm) and three indices per triangle.
    private sealed class SurfaceBuilder
    {
        private readonly Dictionary<long, int> _vertexOf = [];

        // The key of each vertex: the mesh node for tissue surfaces (what the replay moves).
        public List<long> Keys { get; } = [];

        public List<double> Positions { get; } = [];

        public List<int> Indices { get; } = [];

        public int TriangleCount => Indices.Count / 3;

        public void Triangle(int a, Vec3 pa, int b, Vec3 pb, int c, Vec3 pc)
        {
            Indices.Add(Vertex(a, pa));
            Indices.Add(Vertex(b, pb));
            Indices.Add(Vertex(c, pc));
        }

        public void Quad((int X, int Y, int Z)[] corners, GridGeometry g)
        {
            int[] v = new int[4];
            for (int c = 0; c < 4; c++)
            {
                (int x, int y, int z) = corners[c];
                long key = ((long)(x + 1) << 42) | ((long)(y + 1) << 21) | (long)(z + 1);
                v[c] = Vertex(key, g.IndexToLps(x / 2.0, y / 2.0, z / 2.0));
            }

            Indices.AddRange([v[0], v[1], v[2], v[0], v[2], v[3]]);
        }

        private int Vertex(long key, Vec3 p)
        {
            if (!_vertexOf.TryGetValue(key, out int index))
            {
                index = _vertexOf.Count;
                _vertexOf[key] = index;
                Keys.Add(key);
                Positions.Add(Math.Round(p.X, 2));
                Positions.Add(Math.Round(p.Y, 2));
                Positions.Add(Math.Round(p.Z, 2));
            }

            return index;
        }
    }
}
