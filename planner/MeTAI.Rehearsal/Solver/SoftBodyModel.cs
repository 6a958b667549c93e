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
public sealed partial class SoftBodyModel
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
        Vec3[] restM = RestShape();
        double[] mass = LumpMasses(restM, out List<int> active);
        SetNodes(restM, mass);
        LayOut(active, restM);
        ActiveTetCount = active.Count;
        Columns = new TetColumns(SlotTet.Length);
        for (int s = 0; s < SlotTet.Length; s++)
        {
            int t = SlotTet[s];
            if (t < 0)
            {
                Columns.SetInert(s, NodeCount);
                continue;
            }

            int a = Mesh.Tets[4 * t], b = Mesh.Tets[4 * t + 1], c = Mesh.Tets[4 * t + 2], d = Mesh.Tets[4 * t + 3];
            Columns.Set(s, a, b, c, d, restM[a], restM[b], restM[c], restM[d], Tissues[Mesh.TetTissue[t]]);
        }
    }

    /// <summary>Sets the origin at the centre of the mesh's bounding box; returns the rest positions in solver metres.</summary>
    private Vec3[] RestShape()
    {
        TetMesh mesh = Mesh;
        Vec3 lo = mesh.NodesLps[0], hi = mesh.NodesLps[0];
        foreach (Vec3 p in mesh.NodesLps)
        {
            lo = Vec3.Min(lo, p);
            hi = Vec3.Max(hi, p);
        }

        OriginLps = (lo + hi) / 2;
        var restM = new Vec3[mesh.NodeCount];
        for (int v = 0; v < restM.Length; v++)
        {
            restM[v] = (mesh.NodesLps[v] - OriginLps) / 1000.0;
        }

        return restM;
    }

    /// <summary>
    /// Lumped node masses (ρV/4 from each tet, kg), checking every tet's tissue and orientation; <paramref name="active"/>
    /// receives the tets with at least one free node.
    /// </summary>
    private double[] LumpMasses(Vec3[] restM, out List<int> active)
    {
        TetMesh mesh = Mesh;
        var mass = new double[mesh.NodeCount];
        active = [];
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

        return mass;
    }

    /// <summary>The per-node solver arrays: rest positions with inverse masses, the free mask, masses and their total.</summary>
    private void SetNodes(Vec3[] restM, double[] mass)
    {
        int n = NodeCount;
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
    }
}
