namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// A tissue for CT numbers in [<see cref="MinHu"/>, <see cref="MaxHu"/>]: body voxels that no tissue ROI covers take
/// the tissue of the range their HU falls in (fat, muscle, bone); voxels in no range keep the body outline's tissue.
/// </summary>
/// <param name="Tissue">Tissue name (one of the config's tissues).</param>
/// <param name="MinHu">Lowest CT number, HU (inclusive).</param>
/// <param name="MaxHu">Highest CT number, HU (inclusive).</param>
/// <param name="Source">Where the range comes from (a citation or "typical value"); the loader requires one.</param>
public sealed record HuTissueRange(string Tissue, double MinHu, double MaxHu, string Source)
{
    /// <summary>The name of the mask of body voxels in this range, e.g. <c>HU:fat</c>.</summary>
    public string MaskName => "HU:" + Tissue;
}
