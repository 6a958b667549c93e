using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;

namespace MeTAI.Planner.Plans;

/// <summary>
/// A patient to plan: a CT series (HU, LPS mm) and structures on its grid, made from a <see cref="PatientCase"/> (a
/// built-in phantom or a DICOM case directory, loaded by <see cref="CaseLoader"/>). Structure look-ups are
/// case-insensitive and name what exists when they fail.
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

    /// <summary>What loading the case accepted with a warning (<see cref="PatientCase.Warnings"/>); report.json lists them as <c>inputWarnings</c>.</summary>
    public IReadOnlyList<string> InputWarnings { get; init; } = [];

    /// <summary>A loaded patient (<see cref="CaseLoader"/>) as a case: its CT series and every ROI as a structure.</summary>
    public static PlanCase From(PatientCase patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return new PlanCase(patient.Name, patient.Ct, [.. patient.Rois.Select(r => new PlanStructure(r.Mask, r.InterpretedType, r.Color))])
        {
            InputWarnings = patient.Warnings,
        };
    }

    /// <summary>A built-in phantom as a case (fresh DICOM identities); see <see cref="CaseLoader.FromPhantom"/>.</summary>
    public static PlanCase FromPhantom(Phantom phantom) => From(CaseLoader.FromPhantom(phantom));

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

        return new PlanCase(Name, Ct, [.. Structures, structure]) { InputWarnings = InputWarnings };
    }
}
