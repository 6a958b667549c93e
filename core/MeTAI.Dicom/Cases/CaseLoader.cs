using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Dicom.Rt.Readers;

namespace MeTAI.Dicom.Cases;

/// <summary>
/// The one way a patient comes in: a built-in phantom by name (<c>prostate</c>, <c>liver-needle</c>, …) or DICOM files
/// — our <c>ct/</c> + <c>rtstruct.dcm</c> layout, a planning system's or PACS's export folder (CT.*, RS.*, RP.*, RD.*,
/// any names, sub-folders) or a DICOMDIR (or the folder holding one). The files are grouped by patient, study and
/// series (<see cref="CaseInventory"/>, listed in the log), the CT series and structure set picked
/// (<see cref="CaseSelector"/>: by UID when there are several), checked to belong together (<see cref="CaseConsistency"/>)
/// and read into a <see cref="PatientCase"/> with every ROI that has closed planar contours rasterised on the CT grid.
/// Planning (<c>metai plan</c>, the service), the second check (<c>metai dose --ct --plan</c>:
/// <see cref="LoadPlanOnCt"/>) and the rehearsal all load through here.
/// </summary>
public static class CaseLoader
{
    /// <summary>Colour of a DICOM ROI that gives none.</summary>
    public static RgbColor DefaultRoiColor { get; } = new(255, 255, 0);

    /// <summary>True when <paramref name="caseOrDirectory"/> names a directory (or file) rather than a built-in phantom.</summary>
    public static bool IsDirectory(string caseOrDirectory)
    {
        ArgumentNullException.ThrowIfNull(caseOrDirectory);
        return Directory.Exists(caseOrDirectory) || File.Exists(caseOrDirectory) || caseOrDirectory.Contains('/', StringComparison.Ordinal) || caseOrDirectory.Contains('\\', StringComparison.Ordinal);
    }

    /// <summary>Loads a phantom (at <paramref name="voxelMm"/>) or DICOM files (on their CT grid).</summary>
    /// <exception cref="ArgumentException">Unknown phantom name (the message lists the valid ones), a chosen UID that is not there, or no ROI with closed planar contours.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">No CT series or no structure set.</exception>
    /// <exception cref="CaseAmbiguousException">Several CT series or structure sets could be meant.</exception>
    /// <exception cref="CaseInconsistentException">CT and structure set do not belong together (and no override).</exception>
    public static PatientCase Load(string caseOrDirectory, double voxelMm, CaseLoadOptions? options = null, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caseOrDirectory);
        return IsDirectory(caseOrDirectory) ? FromDirectory(caseOrDirectory, options, log) : FromPhantom(PhantomLibrary.Build(caseOrDirectory, voxelMm));
    }

    /// <summary>A built-in phantom as a case: its CT with fresh DICOM identities, its structures and landmarks.</summary>
    public static PatientCase FromPhantom(Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        return new PatientCase(phantom.Name, RtPhantom.ToCtSeries(phantom), RtPhantom.RoiMasks(phantom), phantom.LandmarksLps, null, phantom);
    }

    /// <summary>
    /// A DICOM case from a folder (or a DICOMDIR): the CT series and structure set picked and checked as the class
    /// says; every ROI with closed planar contours becomes a mask on the CT grid (ROIs without a colour get
    /// <see cref="DefaultRoiColor"/>). The case is named after the folder. <paramref name="log"/> gets what was found,
    /// what was picked, and any accepted mismatch.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">No CT series or no structure set.</exception>
    /// <exception cref="DicomFormatException">A DICOM file that cannot be used (named), or a CT series that is not one regular grid.</exception>
    /// <exception cref="ArgumentException">No ROI has closed planar contours, or a chosen UID is not there.</exception>
    public static PatientCase FromDirectory(string directory, CaseLoadOptions? options = null, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        CaseLoadOptions o = options ?? CaseLoadOptions.Default;
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir) && !File.Exists(dir))
        {
            throw new DirectoryNotFoundException($"Case directory {dir} does not exist.");
        }

        CaseInventory inventory = Inventory(dir, o, log);
        CaseChoice choice = CaseSelector.Choose(inventory, o, structureSetRequired: true);
        CaseInstance ssFile = choice.StructureSet!;
        log?.WriteLine($"case: CT series {choice.Ct.SeriesInstanceUid} ({choice.Ct.Instances.Count} slices) and structure set {ssFile.SopInstanceUid} ({ssFile.Name}): {choice.Reason}");
        CtSeries ct = ReadCt(choice.Ct);
        RtStructureSet structures = RtStructureSetReader.Read(ssFile.Path);
        IReadOnlyList<string> warnings = CaseConsistency.Enforce(new CaseObjects { Ct = ct, StructureSet = structures, StructureSetFile = ssFile.Path }, o, log);
        var rois = new List<RtRoiMask>();
        foreach (RtRoi roi in structures.Rois)
        {
            if (roi.ClosedPlanarCount == 0)
            {
                continue;
            }

            VoxelMask mask = structures.ToMask(roi, ct.Geometry);
            rois.Add(new RtRoiMask(mask, roi.InterpretedType, roi.Color ?? DefaultRoiColor));
        }

        if (rois.Count == 0)
        {
            throw new ArgumentException($"{ssFile.Path}: no ROI has closed planar contours.");
        }

        var study = new RtStudy { Ct = ct, StructureSet = structures };
        return new PatientCase(Path.GetFileName(inventory.Root.TrimEnd(Path.DirectorySeparatorChar)), study.Ct, rois, new Dictionary<string, Vec3>(), study, null)
        {
            Warnings = warnings,
        };
    }

    /// <summary>
    /// The CT series alone of a case folder, export or DICOMDIR (what a second check recomputes a plan on): the only
    /// CT series, or <paramref name="ctSeriesUid"/>. Returns the series and the folder its slices were read from.
    /// </summary>
    public static (CtSeries Ct, string Directory) ReadCt(string directory, string? ctSeriesUid = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        CaseLoadOptions o = new() { CtSeriesUid = ctSeriesUid };
        CaseInventory inventory = Inventory(Path.GetFullPath(directory), o, null);
        CaseChoice choice = CaseSelector.Choose(inventory, o, structureSetRequired: false);
        return (ReadCt(choice.Ct), SliceDirectory(choice.Ct));
    }

    /// <summary>
    /// An RT Plan file and the CT (a case folder, export or DICOMDIR) it is to be recomputed on: the CT series chosen, or
    /// the one the plan's structure set was drawn on, or the one on the plan's frame of reference; checked for patient,
    /// study, frame of reference and (when the plan's structure set is in the folder, or chosen) the plan → structure set
    /// → CT references.
    /// </summary>
    /// <exception cref="CaseInconsistentException">Plan, CT (and structure set) do not belong together (and no override).</exception>
    public static PlanCtInputs LoadPlanOnCt(string ctPath, string planPath, CaseLoadOptions? options = null, TextWriter? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ctPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(planPath);
        CaseLoadOptions o = options ?? CaseLoadOptions.Default;
        RtPlan plan = RtPlanReader.Read(planPath);
        CaseInventory inventory = Inventory(Path.GetFullPath(ctPath), o, log);
        CaseLoadOptions pick = o.StructureSetUid is null && plan.ReferencedStructureSetUid is { } planSs && inventory.StructureSets.Any(s => s.SopInstanceUid == planSs)
            ? o with { StructureSetUid = planSs }
            : o;
        CaseChoice choice = CaseSelector.Choose(inventory, pick, structureSetRequired: false, plan.FrameOfReferenceUid);
        CtSeries ct = ReadCt(choice.Ct);
        RtStructureSet? ss = choice.StructureSet is { } s ? RtStructureSetReader.Read(s.Path) : null;
        log?.WriteLine($"case: CT series {choice.Ct.SeriesInstanceUid} ({choice.Ct.Instances.Count} slices){(choice.StructureSet is { } c ? $" and structure set {c.SopInstanceUid} ({c.Name})" : string.Empty)}: {choice.Reason}");
        if (ss is null && plan.ReferencedStructureSetUid is { } missing)
        {
            log?.WriteLine($"note: the plan's structure set {missing} is not in {inventory.Root}; the plan → structure set → CT references are not checked");
        }

        IReadOnlyList<string> warnings = CaseConsistency.Enforce(
            new CaseObjects { Ct = ct, StructureSet = ss, StructureSetFile = choice.StructureSet?.Path, Plan = plan, PlanFile = Path.GetFullPath(planPath) }, o, log);
        return new PlanCtInputs(ct, SliceDirectory(choice.Ct), plan, ss, warnings);
    }

    /// <summary>Scans, lists what was found in the log, and refuses while any DICOM file cannot be used.</summary>
    private static CaseInventory Inventory(string path, CaseLoadOptions options, TextWriter? log)
    {
        CaseInventory inventory = CaseInventory.Scan(path);
        log?.Write(inventory.Describe(options.LogPatientIdentity));
        if (inventory.Problems.Count > 0)
        {
            CaseFileProblem first = inventory.Problems[0];
            throw new DicomFormatException(
                $"{inventory.Root}: {inventory.Problems.Count} DICOM file{(inventory.Problems.Count == 1 ? string.Empty : "s")} cannot be used: {string.Join("; ", inventory.Problems)}. Fix or remove {(inventory.Problems.Count == 1 ? "it" : "them")}.",
                first.Error?.Offset ?? -1, first.Error?.Tag);
        }

        return inventory;
    }

    private static CtSeries ReadCt(CaseSeries series) =>
        CtSeriesReader.Read(series.Instances.Select(i => i.Path), series.SeriesInstanceUid);

    // The folder all slices share (ct/ for our layout).
    private static string SliceDirectory(CaseSeries series)
    {
        string common = Path.GetDirectoryName(series.Instances[0].Path)!;
        foreach (CaseInstance i in series.Instances)
        {
            while (!(Path.GetDirectoryName(i.Path)! + Path.DirectorySeparatorChar).StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                common = Path.GetDirectoryName(common)!;
            }
        }

        return common;
    }
}
