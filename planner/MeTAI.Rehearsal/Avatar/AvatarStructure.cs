namespace MeTAI.Rehearsal.Avatar;

/// <summary>One entry of an avatar config's <c>structures</c> list: an ROI and the tissue it is made of.</summary>
/// <param name="Roi">ROI (structure) name in the case, matched case-insensitively.</param>
/// <param name="Tissue">Name of a tissue in the config's <c>tissues</c>.</param>
public sealed record AvatarStructure(string Roi, string Tissue);
