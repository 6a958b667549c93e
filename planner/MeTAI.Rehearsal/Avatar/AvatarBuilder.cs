using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>Builds a <see cref="PatientAvatar"/> from ROI masks (a phantom, or RTSTRUCT ROIs rasterised on the CT grid).</summary>
public static partial class AvatarBuilder
{
    /// <summary>Builds the avatar of a built-in phantom (built head-first supine).</summary>
    public static PatientAvatar FromPhantom(Phantom phantom, AvatarConfig config, double? cellMm = null, int smoothingIterations = 10)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var masks = new List<VoxelMask>();
        foreach (PhantomStructure s in phantom.Structures)
        {
            masks.Add(s.Mask);
        }

        return FromMasks(phantom.Name, masks, phantom.LandmarksLps, config, PatientPosition.HeadFirstSupine, cellMm, smoothingIterations);
    }

    /// <summary>
    /// Builds an avatar from ROI masks on one grid. The config's first structure is the body outline and must be among
    /// the masks; other config structures the case lacks are skipped (listed in <see cref="PatientAvatar.MissingStructures"/>).
    /// </summary>
    /// <param name="name">Case name.</param>
    /// <param name="masks">The case's ROIs, all on one grid.</param>
    /// <param name="landmarksLps">Named points, LPS mm.</param>
    /// <param name="config">Tissues and supports.</param>
    /// <param name="position">How the patient lies: the couch holds the body on the side gravity points to.</param>
    /// <param name="cellMm">Mesh resolution (lattice cell edge, mm); the config's <see cref="AvatarConfig.CellMm"/> when null.</param>
    /// <param name="smoothingIterations">Taubin passes over the body surface.</param>
    public static PatientAvatar FromMasks(
        string name, IReadOnlyList<VoxelMask> masks, IReadOnlyDictionary<string, Vec3> landmarksLps, AvatarConfig config,
        PatientPosition position, double? cellMm = null, int smoothingIterations = 10)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(landmarksLps);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();

        var painted = new List<VoxelMask>();
        var tissueOf = new List<int>();
        var missing = new List<string>();
        for (int s = 0; s < config.Structures.Count; s++)
        {
            VoxelMask? mask = Find(masks, config.Structures[s].Roi);
            if (mask is null)
            {
                if (s == 0)
                {
                    throw new KeyNotFoundException($"Case '{name}' has no body outline ROI '{config.Structures[0].Roi}' (the config's first structure).");
                }

                missing.Add(config.Structures[s].Roi);
                continue;
            }

            painted.Add(mask);
            tissueOf.Add(config.TissueIndex(config.Structures[s].Tissue));
        }

        LabelVolume labels = LabelVolume.Paint(painted, tissueOf);
        double cell = cellMm ?? config.CellMm;
        TetMesh mesh = VoxelTetMesher.Build(labels, new MeshingOptions { CellMm = cell, SmoothingIterations = smoothingIterations, StrictLabels = FixedLabels(config) });
        bool[] bone = BoneNodes(mesh, labels, config);
        bool[] fixedNodes = FixNodes(mesh, bone, config, position.GravityLps(), out FixedNodeCounts counts);

        var structures = new List<VoxelMask> { painted[0] };
        foreach (VoxelMask m in masks)
        {
            if (!ReferenceEquals(m, painted[0]))
            {
                structures.Add(m);
            }
        }

        return new PatientAvatar(name, config, mesh, fixedNodes, structures, landmarksLps, cell, missing, counts, position);
    }

    /// <summary>The labels (tissue index + 1) of the fixed tissues, whose boundaries the mesher keeps strictly.</summary>
    private static List<byte> FixedLabels(AvatarConfig config)
    {
        var strict = new List<byte>();
        for (int t = 0; t < config.Tissues.Count; t++)
        {
            if (config.Tissues[t].Fixed)
            {
                strict.Add((byte)(t + 1));
            }
        }

        return strict;
    }

    /// <summary>Bone nodes: nodes of tets of a fixed tissue, and nodes inside a fixed-tissue ROI.</summary>
    private static bool[] BoneNodes(TetMesh mesh, LabelVolume labels, AvatarConfig config)
    {
        var bone = new bool[mesh.NodeCount];
        for (int t = 0; t < mesh.TetCount; t++)
        {
            if (config.Tissues[mesh.TetTissue[t]].Fixed)
            {
                for (int c = 0; c < 4; c++)
                {
                    bone[mesh.Tets[4 * t + c]] = true;
                }
            }
        }

        GridGeometry grid = labels.Geometry;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            if (grid.TryNearestVoxel(mesh.NodesLps[v], out int i, out int j, out int k))
            {
                byte label = labels.Labels[grid.Index(i, j, k)];
                bone[v] |= label != 0 && config.Tissues[label - 1].Fixed;
            }
        }

        return bone;
    }

    /// <summary>
    /// The supports: bone, couch contact (boundary nodes within the config's band of the lowest point of the body along
    /// <paramref name="downLps"/>: the posterior side for supine, anterior for prone, a flank for decubitus) and
    /// field-of-view cuts; <paramref name="counts"/> says how many of each.
    /// </summary>
    private static bool[] FixNodes(TetMesh mesh, bool[] bone, AvatarConfig config, Vec3 downLps, out FixedNodeCounts counts)
    {
        double lowest = double.NegativeInfinity;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            if (mesh.IsBoundaryNode[v])
            {
                lowest = Math.Max(lowest, Vec3.Dot(mesh.NodesLps[v], downLps));
            }
        }

        var fixedNodes = new bool[mesh.NodeCount];
        int boneCount = 0, couchCount = 0, cutCount = 0, total = 0;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            bool couch = config.CouchBandMm > 0 && mesh.IsBoundaryNode[v] && Vec3.Dot(mesh.NodesLps[v], downLps) >= lowest - config.CouchBandMm;
            bool cut = config.FixTruncationPlanes && mesh.IsTruncationNode[v];
            boneCount += bone[v] ? 1 : 0;
            couchCount += couch ? 1 : 0;
            cutCount += cut ? 1 : 0;
            fixedNodes[v] = bone[v] || couch || cut;
            total += fixedNodes[v] ? 1 : 0;
        }

        counts = new FixedNodeCounts(boneCount, couchCount, cutCount, total);
        return fixedNodes;
    }

    private static VoxelMask? Find(IReadOnlyList<VoxelMask> masks, string roi)
    {
        foreach (VoxelMask m in masks)
        {
            if (string.Equals(m.Name, roi, StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return null;
    }
}
