namespace MeTAI.Rehearsal.Avatar;

/// <summary>
/// How a case's voxels got their tissues: per ROI, the tissue and the rule; per HU range, how many body voxels outside
/// the tissue ROIs fell in it; and how many fell in no range (they keep the body outline's tissue).
/// </summary>
/// <param name="Rois">Every ROI of the case, in the case's order.</param>
/// <param name="HuVoxels">Body voxels outside the tissue ROIs per HU tissue mask (<c>HU:fat</c> …), in config order.</param>
/// <param name="BodyTissueVoxels">Body voxels outside the tissue ROIs whose HU is in no range (or, without a CT, all of them).</param>
public sealed record TissueAssignment(IReadOnlyList<RoiTissue> Rois, IReadOnlyList<KeyValuePair<string, long>> HuVoxels, long BodyTissueVoxels);
