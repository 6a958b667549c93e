using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// Voxel-to-tet meshing: a regular lattice of <see cref="MeshingOptions.CellMm"/> is laid over the body; a cell whose
/// sample points are mostly inside the body becomes a hexahedron split into 5 tets (the split alternates with cell
/// parity so neighbouring cells share face diagonals: the mesh is conforming). Each tet takes the majority tissue of five
/// points inside it. The boundary surface is then smoothed with Taubin's λ/μ filter (no shrinkage, field-of-view cut
/// planes kept flat), the skin and the tissue interfaces are snapped onto the label isosurfaces, and a quality repair
/// backs off any move that leaves a tet inverted or outside the <see cref="MeshQuality"/> limits.
/// </summary>
public static partial class VoxelTetMesher
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
        BodyBox body = BodyBounds(g, lab);
        if (body.I1 < 0)
        {
            throw new ArgumentException("The body outline is empty; nothing to mesh.", nameof(labels));
        }

        var step = new Vec3(options.CellMm / g.SpacingMm.X, options.CellMm / g.SpacingMm.Y, options.CellMm / g.SpacingMm.Z);
        var origin = new Vec3(body.I0 - 0.5, body.J0 - 0.5, body.K0 - 0.5);
        int nx = Math.Max(1, (int)Math.Ceiling((body.I1 - body.I0 + 1) / step.X - 1e-9));
        int ny = Math.Max(1, (int)Math.Ceiling((body.J1 - body.J0 + 1) / step.Y - 1e-9));
        int nz = Math.Max(1, (int)Math.Ceiling((body.K1 - body.K0 + 1) / step.Z - 1e-9));
        var lattice = new MeshLattice(g, origin, step, nx, ny, nz, new int[nx * ny * nz]);
        bool[] inside = CellOccupancy(labels, options, lattice, out byte[] majority);
        var cells = new CellTets(labels, lattice, options.StrictLabels);
        cells.AddCells(inside, majority);
        if (cells.Tissue.Count == 0)
        {
            throw new ArgumentException($"No lattice cell of {options.CellMm} mm is mostly inside the body; use a smaller cell size.", nameof(options));
        }

        byte[] planeMask = TruncationPlanes(cells.NodeLattice, body, g, lattice);
        var truncation = new bool[cells.Nodes.Count];
        var mesh = new TetMesh([.. cells.Nodes], [.. cells.Tets], [.. cells.Tissue], lattice, truncation);
        for (int n = 0; n < truncation.Length; n++)
        {
            truncation[n] = planeMask[n] != 0 && mesh.IsBoundaryNode[n];
        }

        long bodyVoxels = 0;
        foreach (byte l in lab)
        {
            bodyVoxels += l != 0 ? 1 : 0;
        }

        mesh.Conformity = options.SmoothingIterations > 0 || options.SnapToSurfaces
            ? FitSurfaces(mesh, labels, planeMask, options, bodyVoxels * g.VoxelVolumeMm3)
            : new MeshConformity(false, 0, 0, 0, 0, 0);
        return mesh;
    }

    /// <summary>The body's bounds in voxel indices (<see cref="BodyBox.I1"/> &lt; 0 when it is empty).</summary>
    private static BodyBox BodyBounds(GridGeometry g, byte[] lab)
    {
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

        return new BodyBox(i0, j0, k0, i1, j1, k1);
    }

    /// <summary>
    /// Cell occupancy from a regular sub-sample of each cell: inside when at least the occupancy threshold of the samples
    /// is body; <paramref name="majority"/> receives each cell's most sampled label.
    /// </summary>
    private static bool[] CellOccupancy(LabelVolume labels, MeshingOptions options, MeshLattice lattice, out byte[] majority)
    {
        GridGeometry g = labels.Geometry;
        int nx = lattice.Nx, ny = lattice.Ny, nz = lattice.Nz;
        Vec3 origin = lattice.OriginIndex, step = lattice.StepIndex;
        double minSpacing = Math.Min(g.SpacingMm.X, Math.Min(g.SpacingMm.Y, g.SpacingMm.Z));
        int s = Math.Clamp((int)Math.Ceiling(options.CellMm / minSpacing), 2, 8);
        var inside = new bool[nx * ny * nz];
        majority = new byte[nx * ny * nz];
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

        return inside;
    }

    /// <summary>
    /// Planes where the image cuts the body (the body touches that side of the grid): per node, bit 0/1/2 when it lies
    /// on such a plane across the i/j/k axis.
    /// </summary>
    private static byte[] TruncationPlanes(List<(int A, int B, int C)> nodeLattice, BodyBox body, GridGeometry g, MeshLattice lattice)
    {
        bool cutI0 = body.I0 == 0, cutI1 = body.I1 == g.SizeX - 1, cutJ0 = body.J0 == 0, cutJ1 = body.J1 == g.SizeY - 1, cutK0 = body.K0 == 0, cutK1 = body.K1 == g.SizeZ - 1;
        var planeMask = new byte[nodeLattice.Count];
        for (int n = 0; n < planeMask.Length; n++)
        {
            (int qa, int qb, int qc) = nodeLattice[n];
            byte m = 0;
            m |= (byte)(cutI0 && qa == 0 || cutI1 && qa == lattice.Nx ? 1 : 0);
            m |= (byte)(cutJ0 && qb == 0 || cutJ1 && qb == lattice.Ny ? 2 : 0);
            m |= (byte)(cutK0 && qc == 0 || cutK1 && qc == lattice.Nz ? 4 : 0);
            planeMask[n] = m;
        }

        return planeMask;
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

    /// <summary>Voxel-index bounds of the body (inclusive).</summary>
    private readonly record struct BodyBox(int I0, int J0, int K0, int I1, int J1, int K1);

    /// <summary>
    /// The tets of the included cells: nodes at their corners (created in lattice order, shared between cells), five
    /// tets per cell with the split alternating by parity, each with its tissue label.
    /// </summary>
    private sealed class CellTets
    {
        private readonly LabelVolume _labels;
        private readonly MeshLattice _lattice;
        private readonly bool[] _strict = new bool[256];
        private readonly int[] _nodeOf;

        public CellTets(LabelVolume labels, MeshLattice lattice, IReadOnlyList<byte> strictLabels)
        {
            _labels = labels;
            _lattice = lattice;
            _nodeOf = new int[(lattice.Nx + 1) * (lattice.Ny + 1) * (lattice.Nz + 1)];
            Array.Fill(_nodeOf, -1);
            Array.Fill(lattice.CellFirstTet, -1);
            foreach (byte l in strictLabels)
            {
                _strict[l] = true;
            }
        }

        public List<Vec3> Nodes { get; } = [];

        public List<(int A, int B, int C)> NodeLattice { get; } = [];

        public List<int> Tets { get; } = [];

        public List<byte> Tissue { get; } = [];

        /// <summary>Adds the tets of every included cell, in lattice order.</summary>
        public void AddCells(bool[] inside, byte[] majority)
        {
            int nx = _lattice.Nx, ny = _lattice.Ny, nz = _lattice.Nz;
            Span<int> corner = stackalloc int[8];
            for (int c = 0; c < nz; c++)
            {
                for (int b = 0; b < ny; b++)
                {
                    for (int a = 0; a < nx; a++)
                    {
                        int cell = a + nx * (b + ny * c);
                        if (inside[cell])
                        {
                            AddCell(a, b, c, majority[cell], corner);
                        }
                    }
                }
            }
        }

        private void AddCell(int a, int b, int c, byte cellMajority, Span<int> corner)
        {
            int px = _lattice.Nx + 1, py = _lattice.Ny + 1;
            for (int q = 0; q < 8; q++)
            {
                int qa = a + (q & 1), qb = b + ((q >> 1) & 1), qc = c + ((q >> 2) & 1);
                int key = qa + px * (qb + py * qc);
                if (_nodeOf[key] < 0)
                {
                    _nodeOf[key] = Nodes.Count;
                    Nodes.Add(_lattice.NodeLps(qa, qb, qc));
                    NodeLattice.Add((qa, qb, qc));
                }

                corner[q] = _nodeOf[key];
            }

            _lattice.CellFirstTet[a + _lattice.Nx * (b + _lattice.Ny * c)] = Tissue.Count;
            int[][] split = ((a + b + c) & 1) == 0 ? EvenTets : OddTets;
            foreach (int[] t in split)
            {
                int v0 = corner[t[0]], v1 = corner[t[1]], v2 = corner[t[2]], v3 = corner[t[3]];
                if (TetMesh.SignedVolume(Nodes[v0], Nodes[v1], Nodes[v2], Nodes[v3]) < 0)
                {
                    (v2, v3) = (v3, v2);
                }

                Tets.Add(v0);
                Tets.Add(v1);
                Tets.Add(v2);
                Tets.Add(v3);
                Tissue.Add(TetLabel(_labels, _lattice, NodeLattice[v0], NodeLattice[v1], NodeLattice[v2], NodeLattice[v3], cellMajority, _strict));
            }
        }
    }
}
