using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Cases;

/// <summary>
/// A patient as the rehearsal takes it, in Core types only (the CLI and the service make it from a loaded
/// <c>PatientCase</c>): the CT in HU, the ROI masks on the CT grid with their interpreted types, named landmarks and how
/// the patient lay on the couch.
/// </summary>
/// <param name="Name">Case name (phantom or folder).</param>
/// <param name="Rois">Every ROI with closed contours, as a mask on the CT grid.</param>
/// <param name="CtHu">CT numbers in HU on the same grid (needed when the avatar config gives HU tissues).</param>
/// <param name="LandmarksLps">Named points, LPS mm (phantoms have <c>DefaultEntry</c>; DICOM cases none).</param>
/// <param name="Position">Patient position of the CT (gravity and the couch follow it).</param>
public sealed record RehearsalCase(
    string Name, IReadOnlyList<AvatarRoi> Rois, VoxelGrid<short>? CtHu, IReadOnlyDictionary<string, Vec3> LandmarksLps, PatientPosition Position)
{
    /// <summary>The ROI called <paramref name="name"/> (case-insensitive), or null.</summary>
    public AvatarRoi? Roi(string name) => Rois.FirstOrDefault(r => string.Equals(r.Mask.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The ROI names, quoted, for messages.</summary>
    public string RoiList() => string.Join(", ", Rois.Select(r => $"'{r.Mask.Name}'"));
}
