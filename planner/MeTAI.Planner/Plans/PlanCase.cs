using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Cases;
using MeTAI.Dicom.Rt;
using MeTAI.Planner.Beams;
using MeTAI.Planner.Dose;

namespace MeTAI.Planner.Plans;

/// <summary>
/// A patient to plan: a CT series (HU, LPS mm) and structures on its grid, made from a <see cref="PatientCase"/> (a
/// built-in phantom or a DICOM case directory, loaded by <see cref="CaseLoader"/>), and the patient position the CT
/// gives (the beams are placed for it and the RT Plan records it). Structure look-ups are case-insensitive and name
/// what exists when they fail.
/// </summary>
public sealed class PlanCase
{
    /// <summary>A case from a CT series and structures on its grid.</summary>
    /// <exception cref="ArgumentException">A structure off the CT grid, or a CT whose Patient Position is missing or not supported.</exception>
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
        (Position, PositionOrigin) = CtPatientPosition.Read(ct, $"case '{name}'");
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

    /// <summary>How the patient lies, from the CT's Patient Position (0018,5100).</summary>
    public PatientPosition Position { get; }

    /// <summary>Where <see cref="Position"/> came from, for the log (the CT file, or a built-in phantom).</summary>
    public string PositionOrigin { get; }

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

    /// <summary>The names a body ROI goes by when its RT ROI Interpreted Type is not given (compared ignoring case).</summary>
    public static IReadOnlyList<string> BodyRoiNames { get; } = ["External", "Body", "Outline", "Skin"];

    /// <summary>
    /// The body, the one answer to "where is the patient" (dose is written inside it, rings are cut to it): the
    /// structure whose RT ROI Interpreted Type is EXTERNAL; else one without an interpreted type named as in
    /// <see cref="BodyRoiNames"/>; else the outline of the CT (<see cref="BodyOutline.FromCt"/>).
    /// </summary>
    public VoxelMask BodyMask()
    {
        foreach (PlanStructure s in Structures)
        {
            if (s.IsExternal)
            {
                return s.Mask;
            }
        }

        foreach (PlanStructure s in Structures)
        {
            if (IsBodyRoi(s.InterpretedType, s.Name))
            {
                return s.Mask;
            }
        }

        return BodyOutline.FromCt(CtHu);
    }

    /// <summary>True for an ROI that <see cref="BodyMask"/> may take as the body: EXTERNAL, or untyped and named as in <see cref="BodyRoiNames"/>.</summary>
    public static bool IsBodyRoi(string interpretedType, string name)
    {
        ArgumentNullException.ThrowIfNull(interpretedType);
        ArgumentNullException.ThrowIfNull(name);
        return interpretedType == "EXTERNAL" || (interpretedType.Length == 0 && BodyRoiNames.Contains(name.Trim(), StringComparer.OrdinalIgnoreCase));
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
