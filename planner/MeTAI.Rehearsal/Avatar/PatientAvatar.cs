using System.Collections.ObjectModel;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// A patient's soft-body avatar: the tetrahedral mesh (tissue per tet), the tissue parameters, which nodes are held
/// (bone, couch contact, field-of-view cuts), how the patient lies (which way gravity and the couch are), and the case's
/// ROI masks and landmarks in LPS mm for the rest geometry.
/// Built by <see cref="AvatarBuilder"/>; immutable and shared by every simulation of a trajectory search.
/// </summary>
public sealed class PatientAvatar
{
    internal PatientAvatar(
        string name, AvatarConfig config, TetMesh mesh, bool[] fixedNodes, IReadOnlyList<VoxelMask> structures,
        IReadOnlyDictionary<string, Vec3> landmarksLps, double cellMm, IReadOnlyList<string> missingStructures, FixedNodeCounts fixedCounts,
        PatientPosition position)
    {
        Name = name;
        Config = config;
        Mesh = mesh;
        FixedNodes = fixedNodes;
        Structures = structures;
        LandmarksLps = new ReadOnlyDictionary<string, Vec3>(new Dictionary<string, Vec3>(landmarksLps, StringComparer.Ordinal));
        CellMm = cellMm;
        MissingStructures = missingStructures;
        FixedCounts = fixedCounts;
        Position = position;
    }

    /// <summary>How the patient lies on the couch (the CT's Patient Position; a built-in phantom is head-first supine).</summary>
    public PatientPosition Position { get; }

    /// <summary>Unit LPS direction of gravity, toward the couch: posterior for supine, anterior for prone, the patient's right or left for decubitus.</summary>
    public Vec3 DownLps => Position.GravityLps();

    /// <summary>Case name (e.g. <c>liver-needle</c>).</summary>
    public string Name { get; }

    /// <summary>The config it was built with (tissues, structures, supports).</summary>
    public AvatarConfig Config { get; }

    /// <summary>The tissues, indexed by <see cref="TetMesh.TetTissue"/>.</summary>
    public IReadOnlyList<TissueParameters> Tissues => Config.Tissues;

    /// <summary>The tetrahedral mesh, LPS mm.</summary>
    public TetMesh Mesh { get; }

    /// <summary>Per node: true when held in place (bone, couch, field-of-view cut).</summary>
    public bool[] FixedNodes { get; }

    /// <summary>How many nodes each support holds.</summary>
    public FixedNodeCounts FixedCounts { get; }

    /// <summary>All ROI masks of the case (the rest geometry), body first.</summary>
    public IReadOnlyList<VoxelMask> Structures { get; }

    /// <summary>Named points of the case in LPS mm (e.g. <c>DefaultEntry</c>, <c>TargetCenter</c>).</summary>
    public IReadOnlyDictionary<string, Vec3> LandmarksLps { get; }

    /// <summary>Lattice cell edge used for meshing, mm.</summary>
    public double CellMm { get; }

    /// <summary>How the case's ROIs and CT numbers became tissues (null for an avatar built from masks alone).</summary>
    public TissueAssignment? Assignment { get; internal set; }

    /// <summary>Config structures the case does not have (skipped when painting tissues).</summary>
    public IReadOnlyList<string> MissingStructures { get; }

    /// <summary>The body outline mask.</summary>
    public VoxelMask Body => Structures[0];

    /// <summary>The ROI mask called <paramref name="name"/> (case-insensitive); throws listing the names when absent.</summary>
    public VoxelMask Structure(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (VoxelMask m in Structures)
        {
            if (string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        var names = new string[Structures.Count];
        for (int n = 0; n < names.Length; n++)
        {
            names[n] = Structures[n].Name;
        }

        throw new KeyNotFoundException($"Case '{Name}' has no ROI '{name}'. ROIs: {string.Join(", ", names)}.");
    }
}

/// <summary>Numbers of fixed nodes by reason (a node may have several reasons).</summary>
/// <param name="Bone">Nodes of bone (fixed-tissue) tets.</param>
/// <param name="Couch">Boundary nodes where the patient lies on the couch.</param>
/// <param name="Truncation">Boundary nodes on field-of-view cut planes.</param>
/// <param name="Total">Distinct fixed nodes.</param>
public readonly record struct FixedNodeCounts(int Bone, int Couch, int Truncation, int Total);
