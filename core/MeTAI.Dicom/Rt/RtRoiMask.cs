using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Dicom.Rt;

/// <summary>A mask to be written as an ROI: the mask (its name becomes the ROI name), its interpreted type and colour.</summary>
/// <param name="Mask">The voxels of the ROI, on the CT grid.</param>
/// <param name="InterpretedType">RT ROI Interpreted Type, e.g. EXTERNAL, PTV, ORGAN.</param>
/// <param name="Color">Display colour.</param>
public sealed record RtRoiMask(VoxelMask Mask, string InterpretedType, RgbColor Color);
