using System.Collections.ObjectModel;
using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms;

/// <summary>
/// A synthetic patient: a CT volume in HU, structures on the same grid, and named landmarks, in the same types a
/// DICOM import produces. Built by <see cref="PhantomLibrary"/>.
/// </summary>
public sealed class Phantom
{
    /// <summary>Creates a phantom and checks that it is consistent.</summary>
    /// <param name="name">Library name, e.g. <c>prostate</c>.</param>
    /// <param name="description">One line saying what the phantom is.</param>
    /// <param name="ctHu">CT numbers in HU.</param>
    /// <param name="structures">Structures on <paramref name="ctHu"/>'s grid, unique names, exactly one <see cref="StructureKind.External"/>.</param>
    /// <param name="landmarksLps">Named points in LPS mm (copied).</param>
    public Phantom(string name, string description, VoxelGrid<short> ctHu, IEnumerable<PhantomStructure> structures, IReadOnlyDictionary<string, Vec3> landmarksLps)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(ctHu);
        ArgumentNullException.ThrowIfNull(structures);
        ArgumentNullException.ThrowIfNull(landmarksLps);

        PhantomStructure[] list = [.. structures];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        int externals = 0;
        foreach (PhantomStructure s in list)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(structures));
            if (!names.Add(s.Name))
            {
                throw new ArgumentException($"Phantom '{name}' has two structures named '{s.Name}'.", nameof(structures));
            }

            if (!s.Mask.Geometry.SameAs(ctHu.Geometry))
            {
                throw new ArgumentException($"Structure '{s.Name}' of phantom '{name}' is not on the CT grid.", nameof(structures));
            }

            externals += s.Kind == StructureKind.External ? 1 : 0;
        }

        if (externals != 1)
        {
            throw new ArgumentException($"Phantom '{name}' needs exactly one External structure, has {externals}.", nameof(structures));
        }

        foreach ((string key, Vec3 point) in landmarksLps)
        {
            if (string.IsNullOrWhiteSpace(key) || !point.IsFinite)
            {
                throw new ArgumentException($"Landmark '{key}' of phantom '{name}' needs a name and a finite position.", nameof(landmarksLps));
            }
        }

        Name = name;
        Description = description;
        CtHu = ctHu;
        Structures = Array.AsReadOnly(list);
        LandmarksLps = new ReadOnlyDictionary<string, Vec3>(new Dictionary<string, Vec3>(landmarksLps, StringComparer.Ordinal));
    }

    /// <summary>Library name, e.g. <c>prostate</c>.</summary>
    public string Name { get; }

    /// <summary>One line saying what the phantom is and where its parts sit.</summary>
    public string Description { get; }

    /// <summary>CT numbers in HU (values from <see cref="PhantomHu"/>; air outside the body).</summary>
    public VoxelGrid<short> CtHu { get; }

    /// <summary>The CT grid (axis-aligned, LPS mm).</summary>
    public GridGeometry Geometry => CtHu.Geometry;

    /// <summary>All structures, in the order they were built (the library puts External first).</summary>
    public IReadOnlyList<PhantomStructure> Structures { get; }

    /// <summary>Named points in LPS mm, e.g. <c>Isocenter</c>, <c>DefaultEntry</c>, <c>TargetCenter</c>.</summary>
    public IReadOnlyDictionary<string, Vec3> LandmarksLps { get; }

    /// <summary>The body outline.</summary>
    public PhantomStructure External
    {
        get
        {
            foreach (PhantomStructure s in Structures)
            {
                if (s.Kind == StructureKind.External)
                {
                    return s;
                }
            }

            throw new InvalidOperationException("Unreachable: the constructor requires one External structure.");
        }
    }

    /// <summary>The structure called <paramref name="name"/> (case-insensitive); throws, listing the names, when absent.</summary>
    public PhantomStructure Structure(string name)
    {
        if (TryGetStructure(name, out PhantomStructure? structure))
        {
            return structure;
        }

        var names = new string[Structures.Count];
        for (int n = 0; n < names.Length; n++)
        {
            names[n] = Structures[n].Name;
        }

        throw new KeyNotFoundException($"Phantom '{Name}' has no structure '{name}'. Structures: {string.Join(", ", names)}.");
    }

    /// <summary>Looks a structure up by name (case-insensitive).</summary>
    public bool TryGetStructure(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PhantomStructure? structure)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (PhantomStructure s in Structures)
        {
            if (string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                structure = s;
                return true;
            }
        }

        structure = null;
        return false;
    }
}
