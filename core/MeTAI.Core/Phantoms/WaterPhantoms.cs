using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms.Shapes;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms;

/// <summary>
/// The 30 cm water cube and the classic slab phantoms for checking dose engines at interfaces. Depth is measured from
/// the anterior surface (y = −150 mm) towards posterior (+y), the direction of an AP beam (gantry 0°).
/// </summary>
internal static class WaterPhantoms
{
    public const string WaterDescription =
        "30 × 30 × 30 cm water cube (0 HU) filling the grid, centred on LPS (0, 0, 0); anterior surface at y = −150 mm.";

    public const string SlabLungDescription =
        "30 cm water cube with a lung slab (−740 HU) across it: water 3 cm / lung 7 cm / water 20 cm in depth from the anterior surface (y = −150 mm).";

    public const string SlabBoneDescription =
        "30 cm water cube with a bone slab (+1000 HU) across it: water 3 cm / bone 2 cm / water 25 cm in depth from the anterior surface (y = −150 mm).";

    private const double HalfMm = 150;

    public static Phantom Water(double voxelMm) => Cube("water", WaterDescription, voxelMm, null, 0, 0, 0);

    public static Phantom SlabLung(double voxelMm) =>
        Cube("slab-lung", SlabLungDescription, voxelMm, "LungSlab", 30, 100, PhantomHu.Lung);

    public static Phantom SlabBone(double voxelMm) =>
        Cube("slab-bone", SlabBoneDescription, voxelMm, "BoneSlab", 30, 50, PhantomHu.Bone);

    private static Phantom Cube(string name, string description, double voxelMm, string? slabName, double slabFromDepthMm, double slabToDepthMm, short slabHu)
    {
        var b = new PhantomBuilder(new Vec3(2 * HalfMm, 2 * HalfMm, 2 * HalfMm), voxelMm);
        var half = new Vec3(HalfMm, HalfMm, HalfMm);
        VoxelMask body = b.Add("External", StructureKind.External, PhantomColors.External, new BoxShape(-half, half));
        b.Paint(body, PhantomHu.Water);
        if (slabName is not null)
        {
            // Half-open in depth, so slabs of whole voxels keep their thickness exactly.
            var slab = new BoxShape(new Vec3(-HalfMm, -HalfMm + slabFromDepthMm, -HalfMm), new Vec3(HalfMm, -HalfMm + slabToDepthMm, HalfMm));
            RgbColor color = slabHu < 0 ? PhantomColors.Lung : PhantomColors.Bone;
            b.Paint(b.Add(slabName, StructureKind.Insert, color, slab), slabHu);
        }

        b.Landmark("Isocenter", Vec3.Zero);
        b.Landmark("AnteriorSurface", new Vec3(0, -HalfMm, 0));
        return b.Build(name, description);
    }
}
