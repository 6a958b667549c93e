using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Cli.Commands;

/// <summary>
/// A patient for the planning and rehearsal verbs: a built-in phantom (<c>--case prostate</c>) or a directory holding a
/// DICOM CT series in <c>ct/</c> (or the directory itself) and <c>rtstruct.dcm</c>. Masks are on the CT grid.
/// </summary>
/// <param name="Name">Phantom name or directory name.</param>
/// <param name="CtHu">CT numbers (HU) on the planning grid.</param>
/// <param name="Masks">One mask per ROI, on the CT grid.</param>
/// <param name="RoiTypes">RT ROI Interpreted Type per ROI name (EXTERNAL, PTV, ORGAN, …), empty text when unknown.</param>
/// <param name="LandmarksLps">Named points in LPS mm (phantoms define some; DICOM cases have none).</param>
/// <param name="Study">The DICOM study for directory cases, else null.</param>
/// <param name="Phantom">The phantom for built-in cases, else null.</param>
internal sealed record PatientCase(
    string Name,
    VoxelGrid<short> CtHu,
    IReadOnlyList<VoxelMask> Masks,
    IReadOnlyDictionary<string, string> RoiTypes,
    IReadOnlyDictionary<string, Vec3> LandmarksLps,
    RtStudy? Study,
    Phantom? Phantom)
{
    /// <summary>True when <paramref name="caseOrDirectory"/> names a directory rather than a built-in phantom.</summary>
    public static bool IsDirectory(string caseOrDirectory) =>
        Directory.Exists(caseOrDirectory) || caseOrDirectory.Contains('/', StringComparison.Ordinal) || caseOrDirectory.Contains('\\', StringComparison.Ordinal);

    /// <summary>Loads a phantom (at <paramref name="voxelMm"/>) or a DICOM case directory (on its CT grid).</summary>
    /// <exception cref="ArgumentException">Unknown phantom name (the message lists the valid ones).</exception>
    /// <exception cref="FileNotFoundException">A directory without a CT series or without rtstruct.dcm.</exception>
    public static PatientCase Load(string caseOrDirectory, double voxelMm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseOrDirectory);
        if (!IsDirectory(caseOrDirectory))
        {
            Phantom phantom = PhantomLibrary.Build(caseOrDirectory, voxelMm);
            var masks = new List<VoxelMask>();
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (PhantomStructure s in phantom.Structures)
            {
                masks.Add(s.Mask);
                types[s.Name] = s.Kind.ToString().ToUpperInvariant();
            }

            return new PatientCase(phantom.Name, phantom.CtHu, masks, types, phantom.LandmarksLps, null, phantom);
        }

        string dir = Path.GetFullPath(caseOrDirectory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"Case directory {dir} does not exist.");
        }

        string rtstruct = Path.Combine(dir, "rtstruct.dcm");
        if (!File.Exists(rtstruct))
        {
            throw new FileNotFoundException($"Case directory {dir} has no rtstruct.dcm (expected ct/ and rtstruct.dcm).", rtstruct);
        }

        RtStudy study = RtStudyReader.Read(dir);
        RtStructureSet structures = study.StructureSet
            ?? throw new FileNotFoundException($"{rtstruct}: not read as an RT Structure Set.", rtstruct);
        var roiMasks = new List<VoxelMask>();
        var roiTypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (RtRoi roi in structures.Rois)
        {
            if (roi.ClosedPlanarCount == 0)
            {
                continue;
            }

            roiMasks.Add(structures.ToMask(roi, study.Ct.Geometry));
            roiTypes[roi.Name] = roi.InterpretedType;
        }

        if (roiMasks.Count == 0)
        {
            throw new ArgumentException($"{rtstruct}: no ROI has closed planar contours.");
        }

        return new PatientCase(Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)), study.Ct.Hu, roiMasks, roiTypes,
            new Dictionary<string, Vec3>(), study, null);
    }

    /// <summary>The mask of ROI <paramref name="name"/>; throws listing the ROIs present.</summary>
    public VoxelMask Mask(string name)
    {
        foreach (VoxelMask m in Masks)
        {
            if (m.Name == name)
            {
                return m;
            }
        }

        throw new KeyNotFoundException($"ROI '{name}' not found in case '{Name}'; it has {string.Join(", ", Masks.Select(m => $"'{m.Name}'"))}.");
    }
}
