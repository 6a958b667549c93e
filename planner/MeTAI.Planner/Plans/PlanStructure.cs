using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Planner.Plans;

/// <summary>
/// A structure (ROI) of a planning case on the CT grid: its mask, its RT ROI Interpreted Type (EXTERNAL, PTV, CTV,
/// ORGAN, AVOIDANCE, … as DICOM names them) and its display colour.
/// </summary>
/// <param name="Mask">Voxels inside, on the CT grid; the structure's name is the mask's.</param>
/// <param name="InterpretedType">RT ROI Interpreted Type; empty when unknown.</param>
/// <param name="Color">Display colour.</param>
public sealed record PlanStructure(VoxelMask Mask, string InterpretedType, RgbColor Color)
{
    /// <summary>ROI name.</summary>
    public string Name => Mask.Name;

    /// <summary>True for planning, clinical and gross target volumes (PTV, CTV, GTV).</summary>
    public bool IsTarget => InterpretedType is "PTV" or "CTV" or "GTV";

    /// <summary>True for the body outline.</summary>
    public bool IsExternal => InterpretedType == "EXTERNAL";
}
