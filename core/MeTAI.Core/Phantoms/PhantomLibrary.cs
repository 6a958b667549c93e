using System.Globalization;

namespace MeTAI.Core.Phantoms;

/// <summary>
/// Built-in synthetic patients for testing dose engines, planning and rehearsal without patient data. Every phantom is
/// an axis-aligned grid centred on LPS (0, 0, 0) (x = patient left, y = posterior, z = superior), with masks built
/// analytically (a voxel is inside when its centre is), CT numbers from <see cref="PhantomHu"/>, an
/// <c>External</c> structure and an <c>Isocenter</c> landmark.
/// <list type="table">
/// <item><term>water</term><description>30 cm water cube.</description></item>
/// <item><term>slab-lung</term><description>Water 3 cm / lung 7 cm / water 20 cm in depth from anterior (structure <c>LungSlab</c>).</description></item>
/// <item><term>slab-bone</term><description>Water 3 cm / bone 2 cm / water 25 cm (structure <c>BoneSlab</c>).</description></item>
/// <item><term>tg119-cshape</term><description>TG-119 C-shape: <c>PTV</c> around a <c>Core</c>.</description></item>
/// <item><term>prostate</term><description><c>CTV</c>, <c>PTV</c>, <c>Rectum</c>, <c>Bladder</c>, <c>FemoralHead_L</c>, <c>FemoralHead_R</c>.</description></item>
/// <item><term>multitarget</term><description>TG-119 multitarget: <c>CentralTarget</c>, <c>SuperiorTarget</c>, <c>InferiorTarget</c>.</description></item>
/// <item><term>liver-needle</term><description><c>Liver</c>, <c>Tumor</c>, <c>Vessel</c>, <c>Ribs</c>; landmarks <c>DefaultEntry</c>, <c>TargetCenter</c>.</description></item>
/// </list>
/// </summary>
public static class PhantomLibrary
{
    /// <summary>Smallest accepted voxel size in mm.</summary>
    public const double MinVoxelMm = 0.5;

    /// <summary>Largest accepted voxel size in mm.</summary>
    public const double MaxVoxelMm = 20;

    private static readonly (string Name, string Description, Func<double, Phantom> Build)[] Recipes =
    [
        ("water", WaterPhantoms.WaterDescription, WaterPhantoms.Water),
        ("slab-lung", WaterPhantoms.SlabLungDescription, WaterPhantoms.SlabLung),
        ("slab-bone", WaterPhantoms.SlabBoneDescription, WaterPhantoms.SlabBone),
        ("tg119-cshape", Tg119Phantoms.CShapeDescription, Tg119Phantoms.CShape),
        ("prostate", ProstatePhantom.Description, ProstatePhantom.Build),
        ("multitarget", Tg119Phantoms.MultitargetDescription, Tg119Phantoms.Multitarget),
        ("liver-needle", LiverNeedlePhantom.Description, LiverNeedlePhantom.Build),
    ];

    /// <summary>The phantom names <see cref="Build"/> accepts, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(Array.ConvertAll(Recipes, r => r.Name));

    /// <summary>Builds phantom <paramref name="name"/> (case-insensitive) with cubic voxels of <paramref name="voxelMm"/>.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="voxelMm">Voxel edge in mm, from <see cref="MinVoxelMm"/> to <see cref="MaxVoxelMm"/>.</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones) or voxel size out of range.</exception>
    public static Phantom Build(string name, double voxelMm)
    {
        int recipe = Find(name);
        if (!(voxelMm >= MinVoxelMm && voxelMm <= MaxVoxelMm))
        {
            throw new ArgumentOutOfRangeException(
                nameof(voxelMm), voxelMm, string.Create(CultureInfo.InvariantCulture, $"Phantom voxel size must be from {MinVoxelMm} to {MaxVoxelMm} mm."));
        }

        return Recipes[recipe].Build(voxelMm);
    }

    /// <summary>The one-line description of phantom <paramref name="name"/>, without building it.</summary>
    public static string Describe(string name) => Recipes[Find(name)].Description;

    private static int Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string key = name.Trim();
        for (int n = 0; n < Recipes.Length; n++)
        {
            if (string.Equals(Recipes[n].Name, key, StringComparison.OrdinalIgnoreCase))
            {
                return n;
            }
        }

        throw new ArgumentException($"Unknown phantom '{name}'. Valid names: {string.Join(", ", Names)}.", nameof(name));
    }
}
