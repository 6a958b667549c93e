using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

public static partial class AvatarBuilder
{
    /// <summary>
    /// Builds the avatar of a patient case: the ROIs' tissues come from the config's <see cref="AvatarConfig.Structures"/>
    /// (by name) or <see cref="AvatarConfig.RoiRules"/> (by interpreted type or name); the body voxels no tissue ROI covers
    /// take a tissue by CT number (<see cref="AvatarConfig.HuTissues"/>: fat, muscle, bone). Painting order: body, HU
    /// tissues, then the ROIs in structure or rule order. <see cref="PatientAvatar.Assignment"/> says what each ROI became.
    /// </summary>
    /// <exception cref="ArgumentException">No ROI or several ROIs match the body rule, the grids differ, or HU tissues without a CT.</exception>
    public static PatientAvatar FromCase(
        string name, IReadOnlyList<AvatarRoi> rois, VoxelGrid<short>? ctHu, IReadOnlyDictionary<string, Vec3> landmarksLps, AvatarConfig config,
        PatientPosition position, double? cellMm = null, int smoothingIterations = 10)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rois);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        (List<AvatarStructure> structures, List<RoiTissue> assigned) = Resolve(name, rois, config);
        var masks = new List<VoxelMask>();
        foreach (AvatarRoi r in rois)
        {
            masks.Add(r.Mask);
        }

        VoxelMask body = masks.First(m => string.Equals(m.Name, structures[0].Roi, StringComparison.Ordinal));
        var huCounts = new List<KeyValuePair<string, long>>();
        long bodyTissue = HuMasks(name, body, masks, structures, ctHu, config, huCounts);
        var resolved = new AvatarConfig
        {
            Name = config.Name,
            Description = config.Description,
            Structures = structures,
            Tissues = config.Tissues,
            CellMm = config.CellMm,
            CouchBandMm = config.CouchBandMm,
            FixTruncationPlanes = config.FixTruncationPlanes,
        };
        PatientAvatar avatar = FromMasks(name, masks, landmarksLps, resolved, position, cellMm, smoothingIterations);
        avatar.Assignment = new TissueAssignment(assigned, huCounts, bodyTissue);
        return avatar;
    }

    /// <summary>The painting list (body first) for the case's ROIs, and what each ROI became.</summary>
    private static (List<AvatarStructure> Structures, List<RoiTissue> Assigned) Resolve(string name, IReadOnlyList<AvatarRoi> rois, AvatarConfig config)
    {
        var assigned = new List<RoiTissue>();
        if (config.Structures.Count > 0)
        {
            foreach (AvatarRoi r in rois)
            {
                int s = IndexOf(config.Structures, r.Mask.Name);
                assigned.Add(new RoiTissue(r.Mask.Name, r.InterpretedType, s >= 0 ? config.Structures[s].Tissue : null, s >= 0 ? $"structures[{s}]" : "not in structures"));
            }

            return ([.. config.Structures], assigned);
        }

        var ruleOf = new int[rois.Count];
        for (int n = 0; n < rois.Count; n++)
        {
            AvatarRoi r = rois[n];
            ruleOf[n] = -1;
            for (int k = 0; k < config.RoiRules.Count && ruleOf[n] < 0; k++)
            {
                ruleOf[n] = config.RoiRules[k].Matches(r.Mask.Name, r.InterpretedType) ? k : -1;
            }

            RoiTissueRule? rule = ruleOf[n] >= 0 ? config.RoiRules[ruleOf[n]] : null;
            assigned.Add(new RoiTissue(r.Mask.Name, r.InterpretedType, rule?.Tissue, rule is null ? "no rule matched: keeps the HU tissues" : $"roiRules[{ruleOf[n]}]: {rule.Describe()}"));
        }

        int bodyRule = config.RoiRules.ToList().FindIndex(r => r.Body);
        int[] bodies = [.. Enumerable.Range(0, rois.Count).Where(n => ruleOf[n] == bodyRule)];
        string listing = string.Join(", ", rois.Select(r => $"'{r.Mask.Name}' ({(r.InterpretedType.Length > 0 ? r.InterpretedType : "no type")})"));
        if (bodies.Length != 1)
        {
            throw new ArgumentException(
                $"Case '{name}': {(bodies.Length == 0 ? "no ROI matches" : $"{bodies.Length} ROIs match")} the body outline rule ({config.RoiRules[bodyRule].Describe()}); exactly one must. ROIs: {listing}.");
        }

        var structures = new List<AvatarStructure> { new(rois[bodies[0]].Mask.Name, config.RoiRules[bodyRule].Tissue) };
        for (int k = 0; k < config.RoiRules.Count; k++)
        {
            for (int n = 0; n < rois.Count; n++)
            {
                if (ruleOf[n] == k && k != bodyRule)
                {
                    structures.Add(new AvatarStructure(rois[n].Mask.Name, config.RoiRules[k].Tissue));
                }
            }
        }

        return (structures, assigned);
    }

    /// <summary>
    /// Adds one mask per HU range (body voxels outside every tissue ROI whose CT number is in the range) to
    /// <paramref name="masks"/> and paints them right after the body; returns the body voxels in no range.
    /// </summary>
    private static long HuMasks(string name, VoxelMask body, List<VoxelMask> masks, List<AvatarStructure> structures, VoxelGrid<short>? ctHu, AvatarConfig config, List<KeyValuePair<string, long>> counts)
    {
        var covered = (byte[])body.Voxels.Clone();
        for (int s = 1; s < structures.Count; s++)
        {
            VoxelMask? m = Find(masks, structures[s].Roi);
            byte[] v = m?.Voxels ?? [];
            for (int n = 0; n < v.Length; n++)
            {
                covered[n] = v[n] != 0 ? (byte)0 : covered[n];
            }
        }

        long free = covered.LongCount(b => b != 0);
        if (config.HuTissues.Count == 0)
        {
            return free;
        }

        if (ctHu is null || !ctHu.Geometry.SameAs(body.Geometry))
        {
            throw new ArgumentException($"Case '{name}': the avatar config gives huTissues, which need the CT on the ROIs' grid{(ctHu is null ? " (there is no CT)" : string.Empty)}.");
        }

        short[] hu = ctHu.Data;
        for (int r = 0; r < config.HuTissues.Count; r++)
        {
            HuTissueRange range = config.HuTissues[r];
            var voxels = new byte[covered.Length];
            long count = 0;
            for (int n = 0; n < covered.Length; n++)
            {
                if (covered[n] != 0 && hu[n] >= range.MinHu && hu[n] <= range.MaxHu)
                {
                    voxels[n] = 1;
                    count++;
                }
            }

            masks.Add(new VoxelMask(range.MaskName, body.Geometry, voxels));
            structures.Insert(1 + r, new AvatarStructure(range.MaskName, range.Tissue));
            counts.Add(new(range.MaskName, count));
            free -= count;
        }

        return free;
    }

    private static int IndexOf(IReadOnlyList<AvatarStructure> structures, string roi)
    {
        for (int s = 0; s < structures.Count; s++)
        {
            if (string.Equals(structures[s].Roi, roi, StringComparison.OrdinalIgnoreCase))
            {
                return s;
            }
        }

        return -1;
    }
}
