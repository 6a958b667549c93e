using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// The immutable part of an XPBD soft body, shared by every simulation of one avatar: rest shape, masses, supports,
/// and per-tet constants in struct-of-arrays form, tets reordered by colour (<see cref="TetColoring"/>).
/// Solver units are SI in float32: metres relative to <see cref="OriginLps"/> (a nearby origin keeps float32 precise),
/// kilograms, seconds. Tets whose four nodes are all fixed (bone) are left out: nothing can move them.
/// <para>Material: the stable Neo-Hookean energy of Macklin &amp; Müller (2021) written as two constraints per tet,
/// hydrostatic C_H = det F − γ with compliance 1/(λ′V) and deviatoric C_D = √tr(FᵀF) with compliance 1/(μV), where
/// λ′ = λ + μ and γ = 1 + μ/λ′ so that small strains follow linear elasticity with Lamé λ, μ from E and ν.</para>
/// </summary>
public sealed class SoftBodyModel
{
    private SoftBodyModel(TetMesh mesh, IReadOnlyList<TissueParameters> tissues, bool[] fixedNodes, int partitions)
    {
        Partitions = partitions;
        Mesh = mesh;
        Tissues = tissues;
        FixedNodes = fixedNodes;
    }

    /// <summary>The mesh (LPS mm, mesh tet order).</summary>
    public TetMesh Mesh { get; }

    /// <summary>Tissues by index.</summary>
    public IReadOnlyList<TissueParameters> Tissues { get; }

    /// <summary>Per node: held in place.</summary>
    public bool[] FixedNodes { get; }

    /// <summary>LPS point (mm) that is the solver's origin.</summary>
    public Vec3 OriginLps { get; private set; }

    /// <summary>Number of nodes.</summary>
    public int NodeCount => Mesh.NodeCount;

    /// <summary>Number of tets the solver projects (all tets less those with four fixed nodes).</summary>
    public int ActiveTetCount { get; private set; }

    /// <summary>Number of spatial regions the tets are split into (see <see cref="RegionColourStarts"/>).</summary>
    public int Partitions { get; private set; }

    /// <summary>
    /// Per region, the slot ranges of its interior colours: colour c of region r is
    /// <c>RegionColourStarts[r][c] … RegionColourStarts[r][c+1]−1</c>. Interior tets of different regions share no node,
    /// so regions are projected concurrently without synchronisation.
    /// </summary>
    public int[][] RegionColourStarts { get; private set; } = [];

    /// <summary>Slot ranges of the boundary colours (tets touching a node shared by two regions), projected after the regions.</summary>
    public int[] BoundaryColourStarts { get; private set; } = [];

    /// <summary>Nodes touched by each region's interior tets (integrated together with that region's projection).</summary>
    public int[][] RegionNodes { get; private set; } = [];

    /// <summary>Nodes no interior tet touches (only boundary tets, or none).</summary>
    public int[] SharedNodes { get; private set; } = [];

    /// <summary>Total number of colours over all regions and the boundary.</summary>
    public int ColourCount { get; private set; }

    /// <summary>Number of boundary tets.</summary>
    public int BoundaryTetCount { get; private set; }

    /// <summary>Number of solver slots (active tets plus inert padding, a multiple of 8 per colour).</summary>
    public int SlotCount => SlotTet.Length;

    /// <summary>Mesh tet of each solver slot, −1 for inert padding slots.</summary>
    public int[] SlotTet { get; private set; } = [];

    /// <summary>Rest positions and inverse masses: x, y, z (m), 1/m (1/kg; 0 when fixed) per node.</summary>
    public float[] RestPositions { get; private set; } = [];

    /// <summary>Per node ×4: 1, 1, 1, 0 for free nodes and 0 for fixed ones (masks velocity updates).</summary>
    public float[] FreeMask { get; private set; } = [];

    /// <summary>Lumped node masses in kg (ρV/4 from each tet).</summary>
    public float[] NodeMassKg { get; private set; } = [];

    /// <summary>Total mass in kg.</summary>
    public double TotalMassKg { get; private set; }

    /// <summary>Per-slot constants for the projection kernel.</summary>
    internal TetColumns Columns { get; private set; } = null!;

    /// <summary>Builds the model of an avatar.</summary>
    /// <param name="avatar">The avatar.</param>
    /// <param name="partitions">Spatial regions (the most worker threads that can help; results do not depend on the
    /// thread count, only on this).</param>
    public static SoftBodyModel Create(PatientAvatar avatar, int partitions = 2)
    {
        ArgumentNullException.ThrowIfNull(avatar);
        return Create(avatar.Mesh, avatar.Tissues, avatar.FixedNodes, partitions);
    }

    /// <summary>Builds a model from a mesh, its tissues and the fixed nodes.</summary>
    /// <exception cref="ArgumentException">A tet is inverted or flat, or a tissue index is out of range.</exception>
    public static SoftBodyModel Create(TetMesh mesh, IReadOnlyList<TissueParameters> tissues, bool[] fixedNodes, int partitions = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitions, 64);
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(tissues);
        ArgumentNullException.ThrowIfNull(fixedNodes);
        if (fixedNodes.Length != mesh.NodeCount)
        {
            throw new ArgumentException("One fixed flag per node is needed.", nameof(fixedNodes));
        }

        var model = new SoftBodyModel(mesh, tissues, fixedNodes, partitions);
        model.Build();
        return model;
    }

    /// <summary>Solver coordinates (m, float) of an LPS point (mm).</summary>
    public void ToSolver(Vec3 pointLps, out float x, out float y, out float z)
    {
        Vec3 d = (pointLps - OriginLps) / 1000.0;
        x = (float)d.X;
        y = (float)d.Y;
        z = (float)d.Z;
    }

    /// <summary>LPS point (mm) of solver coordinates (m).</summary>
    public Vec3 ToLps(double x, double y, double z) => OriginLps + new Vec3(x, y, z) * 1000.0;

    private void Build()
    {
        TetMesh mesh = Mesh;
        Vec3 lo = mesh.NodesLps[0], hi = mesh.NodesLps[0];
        foreach (Vec3 p in mesh.NodesLps)
        {
            lo = Vec3.Min(lo, p);
            hi = Vec3.Max(hi, p);
        }

        OriginLps = (lo + hi) / 2;
        int n = mesh.NodeCount;
        var mass = new double[n];
        var restM = new Vec3[n];
        for (int v = 0; v < n; v++)
        {
            restM[v] = (mesh.NodesLps[v] - OriginLps) / 1000.0;
        }

        // Active tets: at least one free node.
        var active = new List<int>();
        for (int t = 0; t < mesh.TetCount; t++)
        {
            int tissue = mesh.TetTissue[t];
            if (tissue >= Tissues.Count)
            {
                throw new ArgumentException($"Tet {t} has tissue index {tissue} but only {Tissues.Count} tissues are given.");
            }

            double volume = TetMesh.SignedVolume(restM[mesh.Tets[4 * t]], restM[mesh.Tets[4 * t + 1]], restM[mesh.Tets[4 * t + 2]], restM[mesh.Tets[4 * t + 3]]);
            if (!(volume > 0))
            {
                throw new ArgumentException($"Tet {t} is inverted or flat (volume {volume} m³).");
            }

            for (int c = 0; c < 4; c++)
            {
                mass[mesh.Tets[4 * t + c]] += Tissues[tissue].DensityKgM3 * volume / 4;
            }

            if (!(FixedNodes[mesh.Tets[4 * t]] && FixedNodes[mesh.Tets[4 * t + 1]] && FixedNodes[mesh.Tets[4 * t + 2]] && FixedNodes[mesh.Tets[4 * t + 3]]))
            {
                active.Add(t);
            }
        }

        // One extra, fixed node at the end: padding slots point at it (see AppendColoured).
        RestPositions = new float[4 * (n + 1)];
        FreeMask = new float[4 * (n + 1)];
        NodeMassKg = new float[n];
        double total = 0;
        for (int v = 0; v < n; v++)
        {
            RestPositions[4 * v] = (float)restM[v].X;
            RestPositions[4 * v + 1] = (float)restM[v].Y;
            RestPositions[4 * v + 2] = (float)restM[v].Z;
            bool free = !FixedNodes[v] && mass[v] > 0;
            RestPositions[4 * v + 3] = free ? (float)(1.0 / mass[v]) : 0f;
            float m = free ? 1f : 0f;
            FreeMask[4 * v] = m;
            FreeMask[4 * v + 1] = m;
            FreeMask[4 * v + 2] = m;
            NodeMassKg[v] = (float)mass[v];
            total += mass[v];
        }

        TotalMassKg = total;

        LayOut(active, restM);
        ActiveTetCount = active.Count;
        Columns = new TetColumns(SlotTet.Length);
        for (int s = 0; s < SlotTet.Length; s++)
        {
            int t = SlotTet[s];
            if (t < 0)
            {
                Columns.SetInert(s, n);
                continue;
            }

            int a = mesh.Tets[4 * t], b = mesh.Tets[4 * t + 1], c = mesh.Tets[4 * t + 2], d = mesh.Tets[4 * t + 3];
            Columns.Set(s, a, b, c, d, restM[a], restM[b], restM[c], restM[d], Tissues[mesh.TetTissue[t]]);
        }
    }

    /// <summary>
    /// Splits the active tets into <see cref="Partitions"/> slabs along the longest axis, finds the boundary tets (those
    /// touching a node of two slabs), colours each slab's interior and the boundary separately, and lays the slots out
    /// slab by slab, boundary last. Slab 0 is made smaller by the boundary's size, as worker 0 also does the boundary.
    /// </summary>
    private void LayOut(List<int> active, Vec3[] restM)
    {
        TetMesh mesh = Mesh;
        int count = active.Count, p = Partitions;
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

        var region = new int[count];
        var boundary = new bool[count];
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

        // Slot layout: regions' interior colours, then boundary colours.
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

        // Node ownership: a node touched by a region's interior tets belongs to that region (interior tets of two regions
        // never share a node); nodes only boundary tets (or no active tet) touch are shared, handled before the boundary.
        var owner = new int[mesh.NodeCount];
        Array.Fill(owner, -1);
        for (int a = 0; a < count; a++)
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

/// <summary>Struct-of-arrays per-slot constants of the Neo-Hookean projection.</summary>
internal sealed class TetColumns
{
    public TetColumns(int count)
    {
        // Arrays padded to a multiple of 8 so vector loads at the last full block never run past the end.
        int padded = (count + 7) & ~7;
        N0 = new int[padded];
        N1 = new int[padded];
        N2 = new int[padded];
        N3 = new int[padded];
        B00 = new float[padded];
        B01 = new float[padded];
        B02 = new float[padded];
        B10 = new float[padded];
        B11 = new float[padded];
        B12 = new float[padded];
        B20 = new float[padded];
        B21 = new float[padded];
        B22 = new float[padded];
        AlphaH = new float[padded];
        AlphaD = new float[padded];
        Gamma = new float[padded];
        RestVolume = new float[padded];
    }

    public int[] N0 { get; }

    public int[] N1 { get; }

    public int[] N2 { get; }

    public int[] N3 { get; }

    // B = Dm⁻¹, Dm = [x1−x0, x2−x0, x3−x0] at rest (m). Row-major: Bij is row i, column j.
    public float[] B00 { get; }

    public float[] B01 { get; }

    public float[] B02 { get; }

    public float[] B10 { get; }

    public float[] B11 { get; }

    public float[] B12 { get; }

    public float[] B20 { get; }

    public float[] B21 { get; }

    public float[] B22 { get; }

    /// <summary>Hydrostatic compliance 1/(λ′V) in 1/J (per unit constraint²).</summary>
    public float[] AlphaH { get; }

    /// <summary>Deviatoric compliance 1/(μV).</summary>
    public float[] AlphaD { get; }

    /// <summary>γ = 1 + μ/λ′: the rest value of det F that balances the deviatoric term.</summary>
    public float[] Gamma { get; }

    /// <summary>Rest volume in m³.</summary>
    public float[] RestVolume { get; }

    /// <summary>An inert slot: all four nodes the extra fixed node, zero shape matrix; its update is exactly zero.</summary>
    public void SetInert(int slot, int node)
    {
        N0[slot] = N1[slot] = N2[slot] = N3[slot] = node;
        AlphaH[slot] = AlphaD[slot] = 1;
        Gamma[slot] = 1;
    }

    public void Set(int slot, int a, int b, int c, int d, Vec3 xa, Vec3 xb, Vec3 xc, Vec3 xd, TissueParameters tissue)
    {
        N0[slot] = a;
        N1[slot] = b;
        N2[slot] = c;
        N3[slot] = d;
        Mat3 dm = Mat3.FromColumns(xb - xa, xc - xa, xd - xa);
        Mat3 inv = dm.Inverse();
        B00[slot] = (float)inv.M00;
        B01[slot] = (float)inv.M01;
        B02[slot] = (float)inv.M02;
        B10[slot] = (float)inv.M10;
        B11[slot] = (float)inv.M11;
        B12[slot] = (float)inv.M12;
        B20[slot] = (float)inv.M20;
        B21[slot] = (float)inv.M21;
        B22[slot] = (float)inv.M22;
        double volume = dm.Determinant / 6;
        double mu = tissue.ShearModulusPa, lambda = tissue.LameLambdaPa + mu;
        AlphaH[slot] = (float)(1.0 / (lambda * volume));
        AlphaD[slot] = (float)(1.0 / (mu * volume));
        Gamma[slot] = (float)(1.0 + mu / lambda);
        RestVolume[slot] = (float)volume;
    }
}
