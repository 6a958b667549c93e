namespace MeTAI.Rehearsal.Avatar;

/// <summary>What an ROI of the case became in the avatar.</summary>
/// <param name="Roi">ROI name.</param>
/// <param name="InterpretedType">Its RT ROI Interpreted Type (empty when none).</param>
/// <param name="Tissue">The tissue it is painted with, or null when no rule matched (its voxels keep the HU tissues).</param>
/// <param name="How">Why: <c>structures[2]</c>, the rule that matched, or that none did.</param>
public sealed record RoiTissue(string Roi, string InterpretedType, string? Tissue, string How);
