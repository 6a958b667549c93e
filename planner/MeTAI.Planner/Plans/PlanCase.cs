using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;

namespace MeTAI.Planner.Plans;

/// <summary>
/// A patient to plan: a CT series (HU, LPS mm) and structures on its grid. From a built-in phantom
/// (<see cref="FromPhantom"/>) or a DICOM directory holding <c>ct/</c> and <c>rtstruct.dcm</c>
/// (<see cref="FromDicomDirectory"/>). Structure look-ups are case-insensitive and name what exists when they fail.
/// </summary>
public sealed class PlanCase
{
    /// <summary>A case from a CT series and structures on its grid.</summary>
    public PlanCase(string name, CtSeries ct, IReadOnlyList<PlanStructure> structures)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(ct);
        ArgumentNullException.ThrowIfNull(structures);
        foreach (PlanStructure s in structures)
        {
            if (!s.Mask.Geometry.SameAs(ct.Geometry))
            {
                throw new ArgumentException($"Structure '{s.Name}' of case '{name}' is not on the CT grid.", nameof(structures));
            }
        }

        Name = name;
        Ct = ct;
        Structures = structures;
    }

    /// <summary>Case name (phantom name or directory name).</summary>
    public string Name { get; }

    /// <summary>The CT series (identities are kept when the plan is written next to it).</summary>
    public CtSeries Ct { get; }

    /// <summary>CT numbers in HU.</summary>
    public VoxelGrid<short> CtHu => Ct.Hu;

    /// <summary>The planning grid (the CT's).</summary>
    public GridGeometry Geometry => Ct.Geometry;

    /// <summary>Structures on the CT grid.</summary>
    public IReadOnlyList<PlanStructure> Structures { get; }

    /// <summary>A built-in phantom as a case (fresh DICOM identities).</summary>
    public static PlanCase FromPhantom(Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var list = new List<PlanStructure>(phantom.Structures.Count);
        foreach (PhantomStructure s in phantom.Structures)
        {
            list.Add(new PlanStructure(s.Mask, RtPhantom.InterpretedType(s.Kind), s.Color));
        }

        return new PlanCase(phantom.Name, RtPhantom.ToCtSeries(phantom), list);
    }

    /// <summary>
    /// A DICOM case: the CT series in <c>ct/</c> (or in the directory itself) and <c>rtstruct.dcm</c>; every ROI with
    /// closed planar contours becomes a structure rasterised on the CT grid.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">No rtstruct.dcm.</exception>
    public static PlanCase FromDicomDirectory(string directory)
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
        RtStructureSet ss = study.StructureSet ?? throw new FileNotFoundException($"{rtstruct}: not read as an RT Structure Set.", rtstruct);
        var list = new List<PlanStructure>();
        foreach (RtRoi roi in ss.Rois)
        {
            if (roi.ClosedPlanarCount == 0)
            {
                continue;
            }

            VoxelMask mask = ss.ToMask(roi, study.Ct.Geometry);
            list.Add(new PlanStructure(mask, roi.InterpretedType, roi.Color ?? new RgbColor(255, 255, 0)));
        }

        if (list.Count == 0)
        {
            throw new ArgumentException($"{rtstruct}: no ROI has closed planar contours.");
        }

        return new PlanCase(Path.GetFileName(dir.TrimEnd(Path.DirectorySeparatorChar)), study.Ct, list);
    }

    /// <summary>The structure named <paramref name="name"/> (case-insensitive); throws listing the structures when absent.</summary>
    /// <exception cref="KeyNotFoundException">No such structure.</exception>
    public PlanStructure Structure(string name)
    {
        if (TryGetStructure(name, out PlanStructure? s))
        {
            return s;
        }

        throw new KeyNotFoundException($"Case '{Name}' has no structure '{name}'. Structures: {StructureNames()}.");
    }

    /// <summary>Looks a structure up by name (case-insensitive).</summary>
    public bool TryGetStructure(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PlanStructure? structure)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (PlanStructure s in Structures)
        {
            if (string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                structure = s;
                return true;
            }
        }

        structure = null;
        return false;
    }

    /// <summary>The body outline: the EXTERNAL structure, else the union of all structures.</summary>
    public VoxelMask BodyMask()
    {
        foreach (PlanStructure s in Structures)
        {
            if (s.IsExternal)
            {
                return s.Mask;
            }
        }

        VoxelMask union = Structures[0].Mask;
        for (int n = 1; n < Structures.Count; n++)
        {
            union = union.Union(Structures[n].Mask);
        }

        return union.Clone("Body");
    }

    /// <summary>The structure names, comma-separated (for error messages).</summary>
    public string StructureNames() => string.Join(", ", Structures.Select(s => s.Name));

    /// <summary>A copy with one more structure (e.g. a ring derived by a protocol).</summary>
    public PlanCase WithStructure(PlanStructure structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        if (TryGetStructure(structure.Name, out _))
        {
            throw new ArgumentException($"Case '{Name}' already has a structure '{structure.Name}'.", nameof(structure));
        }

        return new PlanCase(Name, Ct, [.. Structures, structure]);
    }
}
