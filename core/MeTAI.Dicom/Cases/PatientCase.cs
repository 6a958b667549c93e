using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// A patient as the planning, dose and rehearsal verbs take it (<see cref="CaseLoader"/> loads it): a CT series in HU
/// (LPS mm), one mask per ROI on the CT grid with its RT ROI Interpreted Type and colour, named landmarks, and where it
/// came from — the DICOM study it was read from, or the built-in phantom it was built from.
/// </summary>
/// <param name="Name">Phantom name or directory name.</param>
/// <param name="Ct">The CT series (a phantom's gets fresh DICOM identities; a DICOM case keeps its own).</param>
/// <param name="Rois">One mask per ROI, on the CT grid, with its interpreted type (EXTERNAL, PTV, ORGAN, …) and colour.</param>
/// <param name="LandmarksLps">Named points in LPS mm (phantoms define some; DICOM cases have none).</param>
/// <param name="Study">The DICOM study for directory cases, else null.</param>
/// <param name="Phantom">The phantom for built-in cases, else null.</param>
public sealed record PatientCase(
    string Name,
    CtSeries Ct,
    IReadOnlyList<RtRoiMask> Rois,
    IReadOnlyDictionary<string, Vec3> LandmarksLps,
    RtStudy? Study,
    Phantom? Phantom)
{
    /// <summary>
    /// Mismatches between CT and structure set accepted with the override, and differences only warned about (Patient's
    /// Name spelt differently); empty for consistent cases and phantoms. Commands write them to their log and report.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>CT numbers in HU.</summary>
    public VoxelGrid<short> CtHu => Ct.Hu;

    /// <summary>
    /// Patient Position (0018,5100) of the CT as written (HFS, HFP, FFS, FFP, HFDR, …; one value for the whole series,
    /// the CT reader refuses a mix), or empty when the CT has none. A built-in phantom is HFS: its CT is built head-first
    /// supine. Beams, gravity and the viewers' orientation follow it; it is parsed (and an unknown or missing value
    /// refused) where it is used, with <see cref="Core.Geometry.PatientPositions.Parse"/>.
    /// </summary>
    public string PatientPosition => Ct.PatientPosition;

    /// <summary>The ROI masks, in the case's order (each mask's name is its ROI's).</summary>
    public IReadOnlyList<VoxelMask> Masks => [.. Rois.Select(r => r.Mask)];

    /// <summary>The mask of ROI <paramref name="name"/>; throws listing the ROIs present.</summary>
    /// <exception cref="KeyNotFoundException">No ROI of that name.</exception>
    public VoxelMask Mask(string name)
    {
        foreach (RtRoiMask roi in Rois)
        {
            if (roi.Mask.Name == name)
            {
                return roi.Mask;
            }
        }

        throw new KeyNotFoundException($"ROI '{name}' not found in case '{Name}'; it has {string.Join(", ", Rois.Select(r => $"'{r.Mask.Name}'"))}.");
    }
}
