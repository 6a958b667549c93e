using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// A conforming tetrahedral mesh in patient LPS millimetres. Tet t has nodes <c>Tets[4t … 4t+3]</c>, positively
/// oriented (det[x1−x0, x2−x0, x3−x0] &gt; 0); face f of a tet is the face opposite its vertex f, with vertices
/// <see cref="FaceVertices"/>[f] (counter-clockwise seen from outside). Every tet carries a tissue index; an organ's
/// sub-mesh is the set of tets of its tissue (organs share nodes where they touch). Made by <see cref="VoxelTetMesher"/>.
/// </summary>
public sealed class TetMesh
{
    /// <summary>Local vertex indices of face f (opposite vertex f), oriented outward for a positive tet.</summary>
    public static readonly int[][] FaceVertices = [[1, 2, 3], [0, 3, 2], [0, 1, 3], [0, 2, 1]];

    internal TetMesh(Vec3[] nodesLps, int[] tets, byte[] tetTissue, MeshLattice lattice, bool[] isTruncationNode)
    {
        NodesLps = nodesLps;
        IsTruncationNode = isTruncationNode;
        Tets = tets;
        TetTissue = tetTissue;
        Lattice = lattice;
        Neighbors = new int[tets.Length];
        BuildAdjacency();
    }

    /// <summary>Node positions, LPS mm.</summary>
    public Vec3[] NodesLps { get; }

    /// <summary>Four node indices per tet.</summary>
    public int[] Tets { get; }

    /// <summary>Tissue index (into the avatar config's tissues) per tet.</summary>
    public byte[] TetTissue { get; }

    /// <summary>Tet across face f of tet t at <c>4t + f</c>, or −1 on the boundary.</summary>
    public int[] Neighbors { get; }

    /// <summary>Boundary triangles, three node indices each, counter-clockwise seen from outside the body.</summary>
    public int[] BoundaryFaces { get; private set; } = [];

    /// <summary>For each boundary triangle, <c>4·tet + face</c> of the tet it bounds.</summary>
    public int[] BoundaryFaceTet { get; private set; } = [];

    /// <summary>For boundary triangle b, the boundary triangle across its edge e (opposite its vertex e) at <c>3b + e</c>, or −1.</summary>
    public int[] BoundaryFaceNeighbors { get; private set; } = [];

    /// <summary>True for nodes on the boundary surface.</summary>
    public bool[] IsBoundaryNode { get; private set; } = [];

    /// <summary>True for boundary nodes on a plane where the image's field of view cuts the body.</summary>
    public bool[] IsTruncationNode { get; }

    /// <summary>How the mesher fitted the skin and the tissue interfaces (nodes snapped onto the surfaces, nodes repaired).</summary>
    public MeshConformity Conformity { get; internal set; }

    /// <summary>Element quality at the current node positions (dihedral angles, aspect ratio, inverted tets).</summary>
    public MeshQuality MeasureQuality() => MeshQuality.Measure(this);

    /// <summary>The lattice the mesh was cut from (for point location).</summary>
    internal MeshLattice Lattice { get; }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => NodesLps.Length;

    /// <summary>Number of tets.</summary>
    public int TetCount => TetTissue.Length;

    /// <summary>Number of boundary triangles.</summary>
    public int BoundaryFaceCount => BoundaryFaceTet.Length;

    /// <summary>Signed volume of tet <paramref name="tet"/> in mm³ (positive for a valid tet).</summary>
    public double TetVolumeMm3(int tet) => SignedVolume(
        NodesLps[Tets[4 * tet]], NodesLps[Tets[4 * tet + 1]], NodesLps[Tets[4 * tet + 2]], NodesLps[Tets[4 * tet + 3]]);

    /// <summary>Total volume in mm³.</summary>
    public double TotalVolumeMm3()
    {
        double sum = 0;
        for (int t = 0; t < TetCount; t++)
        {
            sum += TetVolumeMm3(t);
        }

        return sum;
    }

    /// <summary>Signed volume of the tet (a, b, c, d): det[b−a, c−a, d−a] / 6.</summary>
    public static double SignedVolume(Vec3 a, Vec3 b, Vec3 c, Vec3 d) => Vec3.Dot(b - a, Vec3.Cross(c - a, d - a)) / 6.0;

    /// <summary>Barycentric coordinates of <paramref name="pointLps"/> in tet <paramref name="tet"/> (sum 1; all ≥ 0 inside).</summary>
    public (double B0, double B1, double B2, double B3) Barycentric(int tet, Vec3 pointLps)
    {
        Vec3 x0 = NodesLps[Tets[4 * tet]];
        Mat3 m = Mat3.FromColumns(NodesLps[Tets[4 * tet + 1]] - x0, NodesLps[Tets[4 * tet + 2]] - x0, NodesLps[Tets[4 * tet + 3]] - x0);
        Vec3 b = m.Inverse() * (pointLps - x0);
        return (1 - b.X - b.Y - b.Z, b.X, b.Y, b.Z);
    }

    /// <summary>
    /// Finds the tet holding <paramref name="pointLps"/> (rest positions). When no tet holds it (a point just outside the
    /// smoothed surface), returns the nearby tet whose smallest barycentric coordinate is largest and false.
    /// Returns −1 when nothing is near.
    /// </summary>
    public bool TryLocate(Vec3 pointLps, out int tet, out (double B0, double B1, double B2, double B3) barycentric)
    {
        tet = -1;
        barycentric = default;
        double bestMin = double.NegativeInfinity;
        Vec3 c = Lattice.ToLattice(pointLps);
        int ca = (int)Math.Floor(c.X), cb = (int)Math.Floor(c.Y), cc = (int)Math.Floor(c.Z);
        // Snapping moves nodes up to one cell (MeshingOptions.SnapRangeCells), so the tet holding a point may belong to a
        // cell two cells away from the point's lattice cell.
        for (int dk = -2; dk <= 2; dk++)
        {
            for (int dj = -2; dj <= 2; dj++)
            {
                for (int di = -2; di <= 2; di++)
                {
                    int first = Lattice.FirstTetOfCell(ca + di, cb + dj, cc + dk);
                    if (first < 0)
                    {
                        continue;
                    }

                    for (int t = first; t < first + MeshLattice.TetsPerCell; t++)
                    {
                        var b = Barycentric(t, pointLps);
                        double min = Math.Min(Math.Min(b.B0, b.B1), Math.Min(b.B2, b.B3));
                        if (min > bestMin)
                        {
                            bestMin = min;
                            tet = t;
                            barycentric = b;
                        }
                    }
                }
            }
        }

        return tet >= 0 && bestMin >= -1e-9;
    }

    private void BuildAdjacency()
    {
        int tetCount = TetCount;
        long n = NodeCount;
        var faces = new Dictionary<long, int>(tetCount * 2);
        Array.Fill(Neighbors, -1);
        for (int t = 0; t < tetCount; t++)
        {
            for (int f = 0; f < 4; f++)
            {
                long key = FaceKey(t, f, n);
                if (faces.Remove(key, out int other))
                {
                    Neighbors[4 * t + f] = other >> 2;
                    Neighbors[other] = t;
                }
                else
                {
                    faces.Add(key, 4 * t + f);
                }
            }
        }

        // What is left has one tet: the boundary. Sort for a deterministic order.
        int[] boundary = [.. faces.Values];
        Array.Sort(boundary);
        BoundaryFaceTet = boundary;
        BoundaryFaces = new int[3 * boundary.Length];
        IsBoundaryNode = new bool[NodeCount];
        for (int b = 0; b < boundary.Length; b++)
        {
            int t = boundary[b] >> 2, f = boundary[b] & 3;
            for (int v = 0; v < 3; v++)
            {
                int node = Tets[4 * t + FaceVertices[f][v]];
                BoundaryFaces[3 * b + v] = node;
                IsBoundaryNode[node] = true;
            }
        }

        BoundaryFaceNeighbors = new int[3 * boundary.Length];
        Array.Fill(BoundaryFaceNeighbors, -1);
        var edges = new Dictionary<long, int>(boundary.Length * 2);
        for (int b = 0; b < boundary.Length; b++)
        {
            for (int e = 0; e < 3; e++)
            {
                int p = BoundaryFaces[3 * b + (e + 1) % 3], q = BoundaryFaces[3 * b + (e + 2) % 3];
                long key = Math.Min(p, q) * n + Math.Max(p, q);
                if (edges.Remove(key, out int other))
                {
                    BoundaryFaceNeighbors[3 * b + e] = other / 3;
                    BoundaryFaceNeighbors[other] = b;
                }
                else
                {
                    edges.Add(key, 3 * b + e);
                }
            }
        }
    }

    private long FaceKey(int tet, int face, long n)
    {
        int[] fv = FaceVertices[face];
        int a = Tets[4 * tet + fv[0]], b = Tets[4 * tet + fv[1]], c = Tets[4 * tet + fv[2]];
        int lo = Math.Min(a, Math.Min(b, c)), hi = Math.Max(a, Math.Max(b, c)), mid = a + b + c - lo - hi;
        return (lo * n + mid) * n + hi;
    }
}

/// <summary>The regular lattice a voxel-to-tet mesh was cut from: five tets per included cell, in cell order.</summary>
internal sealed class MeshLattice
{
    public const int TetsPerCell = 5;

    public MeshLattice(GridGeometry grid, Vec3 originIndex, Vec3 stepIndex, int nx, int ny, int nz, int[] cellFirstTet)
    {
        Grid = grid;
        OriginIndex = originIndex;
        StepIndex = stepIndex;
        Nx = nx;
        Ny = ny;
        Nz = nz;
        CellFirstTet = cellFirstTet;
    }

    public GridGeometry Grid { get; }

    /// <summary>Continuous voxel index of lattice node (0, 0, 0).</summary>
    public Vec3 OriginIndex { get; }

    /// <summary>Lattice step in continuous voxel-index units per axis.</summary>
    public Vec3 StepIndex { get; }

    public int Nx { get; }

    public int Ny { get; }

    public int Nz { get; }

    /// <summary>First tet of each cell (i fastest), −1 for cells outside the body.</summary>
    public int[] CellFirstTet { get; }

    public Vec3 ToLattice(Vec3 pointLps)
    {
        Vec3 idx = Grid.LpsToIndex(pointLps);
        return new Vec3((idx.X - OriginIndex.X) / StepIndex.X, (idx.Y - OriginIndex.Y) / StepIndex.Y, (idx.Z - OriginIndex.Z) / StepIndex.Z);
    }

    public Vec3 NodeLps(int a, int b, int c) =>
        Grid.IndexToLps(OriginIndex.X + a * StepIndex.X, OriginIndex.Y + b * StepIndex.Y, OriginIndex.Z + c * StepIndex.Z);

    public int FirstTetOfCell(int a, int b, int c) =>
        (uint)a < (uint)Nx && (uint)b < (uint)Ny && (uint)c < (uint)Nz ? CellFirstTet[a + Nx * (b + Ny * c)] : -1;
}
