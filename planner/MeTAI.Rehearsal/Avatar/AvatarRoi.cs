using MeTAI.Core.Voxels;

namespace MeTAI.Rehearsal.Avatar;

/// <summary>One ROI of a case: its mask on the CT grid and its RT ROI Interpreted Type (3006,00A4), empty when none.</summary>
/// <param name="Mask">The ROI's mask (its name is the ROI's).</param>
/// <param name="InterpretedType">EXTERNAL, ORGAN, PTV, …, or empty.</param>
public sealed record AvatarRoi(VoxelMask Mask, string InterpretedType);
