using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;
using MeTAI.Dicom.Rt.Writers;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// The one way a patient comes in: a built-in phantom by name (<c>prostate</c>, <c>liver-needle</c>, …) or a case
/// directory holding a DICOM CT series in <c>ct/</c> (or the directory itself) and <c>rtstruct.dcm</c>, read into a
/// <see cref="PatientCase"/> with every ROI that has closed planar contours rasterised on the CT grid. Planning
/// (<c>metai plan</c>, the service), the second check (<c>metai dose --plan</c>, which needs the CT only:
/// <see cref="ReadCt"/>) and the rehearsal all load through here.
/// </summary>
public static class CaseLoader
{
    /// <summary>Colour of a DICOM ROI that gives none.</summary>
    public static RgbColor DefaultRoiColor { get; } = new(255, 255, 0);

    /// <summary>True when <paramref name="caseOrDirectory"/> names a directory rather than a built-in phantom.</summary>
    public static bool IsDirectory(string caseOrDirectory)
    {
        ArgumentNullException.ThrowIfNull(caseOrDirectory);
        return Directory.Exists(caseOrDirectory) || caseOrDirectory.Contains('/', StringComparison.Ordinal) || caseOrDirectory.Contains('\\', StringComparison.Ordinal);
    }

    /// <summary>Loads a phantom (at <paramref name="voxelMm"/>) or a DICOM case directory (on its CT grid).</summary>
    /// <exception cref="ArgumentException">Unknown phantom name (the message lists the valid ones), or no ROI with closed planar contours.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A directory without rtstruct.dcm.</exception>
    public static PatientCase Load(string caseOrDirectory, double voxelMm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseOrDirectory);
        return IsDirectory(caseOrDirectory) ? FromDirectory(caseOrDirectory) : FromPhantom(PhantomLibrary.Build(caseOrDirectory, voxelMm));
    }

    /// <summary>A built-in phantom as a case: its CT with fresh DICOM identities, its structures and landmarks.</summary>
    public static PatientCase FromPhantom(Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        return new PatientCase(phantom.Name, RtPhantom.ToCtSeries(phantom), RtPhantom.RoiMasks(phantom), phantom.LandmarksLps, null, phantom);
    }

    /// <summary>
    /// A DICOM case: the CT series in <c>ct/</c> (or in the directory itself) and <c>rtstruct.dcm</c>; every ROI with
    /// closed planar contours becomes a mask on the CT grid (ROIs without a colour get <see cref="DefaultRoiColor"/>).
    /// The case is named after the directory.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">No rtstruct.dcm, or one that is not an RT Structure Set.</exception>
    /// <exception cref="ArgumentException">No ROI has closed planar contours.</exception>
    public static PatientCase FromDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"Case directory {dir} does not exist.");
        }

        string rtstruct = Path.Combine(dir, RtStudyWriter.StructureSetFile);
        if (!File.Exists(rtstruct))
        {
            throw new FileNotFoundException($"Case directory {dir} has no {RtStudyWriter.StructureSetFile} (expected ct/ and rtstruct.dcm).", rtstruct);
        }

        RtStudy study = RtStudyReader.Read(dir);
        RtStructureSet structures = study.StructureSet ?? throw new FileNotFoundException($"{rtstruct}: not read as an RT Structure Set.", rtstruct);
        var rois = new List<RtRoiMask>();
        foreach (RtRoi roi in structures.Rois)
        {
            if (roi.ClosedPlanarCount == 0)
            {
                continue;
            }

            VoxelMask mask = structures.ToMask(roi, study.Ct.Geometry);
            rois.Add(new RtRoiMask(mask, roi.InterpretedType, roi.Color ?? DefaultRoiColor));
        }

        if (rois.Count == 0)
        {
            throw new ArgumentException($"{rtstruct}: no ROI has closed planar contours.");
        }

        return new PatientCase(Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)), study.Ct, rois, new Dictionary<string, Vec3>(), study, null);
    }

    /// <summary>
    /// The CT series alone of a case directory: the slices in <c>ct/</c> when it has one, else in the directory itself
    /// (what a second check recomputes a plan on). Returns the series and the directory its slices were read from.
    /// </summary>
    public static (CtSeries Ct, string Directory) ReadCt(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string ctDir = Directory.Exists(Path.Combine(directory, RtStudyWriter.CtDirectory)) ? Path.Combine(directory, RtStudyWriter.CtDirectory) : directory;
        return (CtSeriesReader.Read(ctDir), ctDir);
    }
}
