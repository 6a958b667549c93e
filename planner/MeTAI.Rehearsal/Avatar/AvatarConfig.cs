namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// How to turn a case's ROIs into a soft-body avatar: which tissue each ROI is made of (painted in list order, later
/// entries over earlier ones; the first entry is the body outline), the tissue parameters, the default mesh
/// resolution, and how the body is held (couch contact, field-of-view truncation). Loaded by
/// <see cref="AvatarConfigLoader"/>.
/// </summary>
public sealed class AvatarConfig
{
    /// <summary>Config name, e.g. <c>liver-needle</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One line saying what the avatar is.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>
    /// Structures by ROI name in painting order; the first is the body outline (External). Empty when the config gives
    /// <see cref="RoiRules"/> instead (resolved per case by <see cref="AvatarBuilder.FromCase"/>).
    /// </summary>
    public required IReadOnlyList<AvatarStructure> Structures { get; init; }

    /// <summary>Tissues of a case's ROIs by interpreted type or name (used when <see cref="Structures"/> is empty).</summary>
    public IReadOnlyList<RoiTissueRule> RoiRules { get; init; } = [];

    /// <summary>Tissues by CT number for the body voxels no tissue ROI covers (fat, muscle, bone), painted before the ROIs.</summary>
    public IReadOnlyList<HuTissueRange> HuTissues { get; init; } = [];

    /// <summary>The tissues the structures refer to.</summary>
    public required IReadOnlyList<TissueParameters> Tissues { get; init; }

    /// <summary>Default tetrahedral lattice cell edge in mm (the mesh resolution).</summary>
    public double CellMm { get; init; } = 12;

    /// <summary>
    /// The couch holds the patient: body-surface nodes within this many mm of the lowest point of the body (along gravity:
    /// posterior for supine, anterior for prone, the lower flank for decubitus) are fixed. Zero fixes none.
    /// </summary>
    public double CouchBandMm { get; init; } = 15;

    /// <summary>Fix the body where the image's field of view cuts it (the first/last slice holding the body).</summary>
    public bool FixTruncationPlanes { get; init; } = true;

    /// <summary>Index of the tissue called <paramref name="name"/> (case-insensitive), or −1.</summary>
    public int TissueIndex(string name)
    {
        for (int n = 0; n < Tissues.Count; n++)
        {
            if (string.Equals(Tissues[n].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return n;
            }
        }

        return -1;
    }

    private void ValidateStructures()
    {
        if ((Structures.Count == 0) == (RoiRules.Count == 0))
        {
            throw new ArgumentException("give either structures (ROIs by name, the body outline first) or roiRules (ROIs by interpreted type or name), not both or neither.");
        }

        for (int n = 0; n < Structures.Count; n++)
        {
            if (TissueIndex(Structures[n].Tissue) < 0)
            {
                throw new ArgumentException($"structures[{n}].tissue '{Structures[n].Tissue}' is not one of the tissues.");
            }
        }

        if (Structures.Count > 0 && Tissues[TissueIndex(Structures[0].Tissue)].Fixed)
        {
            throw new ArgumentException("structures[0] (the body outline) must not be a fixed tissue.");
        }

        for (int n = 0; n < RoiRules.Count; n++)
        {
            RoiTissueRule r = RoiRules[n];
            if (TissueIndex(r.Tissue) < 0)
            {
                throw new ArgumentException($"roiRules[{n}].tissue '{r.Tissue}' is not one of the tissues.");
            }

            if (r.Types.Count == 0 && r.Names.Count == 0)
            {
                throw new ArgumentException($"roiRules[{n}] must give types or names to match.");
            }

            if (r.Body && Tissues[TissueIndex(r.Tissue)].Fixed)
            {
                throw new ArgumentException($"roiRules[{n}] (the body outline) must not be a fixed tissue.");
            }
        }

        if (RoiRules.Count > 0 && RoiRules.Count(r => r.Body) != 1)
        {
            throw new ArgumentException("roiRules must have exactly one rule with \"body\": true (the body outline).");
        }
    }

    /// <summary>Checks the config as a whole (names resolve, values in range); messages name the field.</summary>
    /// <exception cref="ArgumentException">A rule is broken.</exception>
    public void Validate()
    {
        if (Tissues.Count == 0 || Tissues.Count > 250)
        {
            throw new ArgumentException($"tissues must list 1 to 250 tissues, got {Tissues.Count}.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (TissueParameters t in Tissues)
        {
            if (!names.Add(t.Name))
            {
                throw new ArgumentException($"tissues: two tissues are named '{t.Name}'.");
            }

            t.Validate();
        }

        ValidateStructures();
        for (int n = 0; n < HuTissues.Count; n++)
        {
            HuTissueRange r = HuTissues[n];
            if (TissueIndex(r.Tissue) < 0)
            {
                throw new ArgumentException($"huTissues[{n}].tissue '{r.Tissue}' is not one of the tissues.");
            }

            if (!(r.MinHu <= r.MaxHu) || !double.IsFinite(r.MinHu) || !double.IsFinite(r.MaxHu))
            {
                throw new ArgumentException($"huTissues[{n}]: minHu {r.MinHu} must not exceed maxHu {r.MaxHu}.");
            }

            for (int m = 0; m < n; m++)
            {
                if (r.MinHu <= HuTissues[m].MaxHu && HuTissues[m].MinHu <= r.MaxHu)
                {
                    throw new ArgumentException($"huTissues[{n}] ({r.MinHu} … {r.MaxHu} HU) overlaps huTissues[{m}] ({HuTissues[m].MinHu} … {HuTissues[m].MaxHu} HU).");
                }
            }
        }

        if (!(CellMm > 0) || !double.IsFinite(CellMm))
        {
            throw new ArgumentException("cellMm must be positive.");
        }

        if (!(CouchBandMm >= 0) || !double.IsFinite(CouchBandMm))
        {
            throw new ArgumentException("couchBandMm must be ≥ 0.");
        }
    }
}
