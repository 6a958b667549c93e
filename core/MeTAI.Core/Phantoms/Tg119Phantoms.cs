using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms.Shapes;

namespace MeTAI.Core.Phantoms;

/// <summary>
/// Test cases after AAPM TG-119 (Ezzell et al., Med. Phys. 36, 2009) in a water-equivalent box with 2 cm of air around
/// it laterally and antero-posteriorly. The box fills the grid along z.
/// </summary>
internal static class Tg119Phantoms
{
    public const string CShapeDescription =
        "TG-119 C-shape: water-equivalent box 30 LR × 20 AP × 16 SI cm; Core cylinder r 1 cm × 10 cm on the z axis; " +
        "PTV C-shape r 1.5–3.7 cm × 8 cm around it, open anteriorly through a 1 cm wide slot.";

    public const string MultitargetDescription =
        "TG-119 multitarget: water-equivalent box 30 LR × 20 AP × 24 SI cm with three cylindrical targets (4 cm diameter, " +
        "4 cm long) on the z axis centred at z = −6, 0 and +6 cm.";

    private const double BoxXMm = 300, BoxYMm = 200, AirMarginMm = 20;

    /// <summary>
    /// TG-119's C-shape: the PTV wraps the core at 5 mm distance (inner radius 15 mm, outer 37 mm, 80 mm long); the
    /// core (radius 10 mm, 100 mm long) overhangs it by 10 mm at each end. TG-119 leaves the opening's exact size to
    /// the drawing; here it is a straight slot 10 mm wide (|x| &lt; 5 mm) on the anterior side (y &lt; 0).
    /// </summary>
    public static Phantom CShape(double voxelMm)
    {
        const double lengthMm = 160;
        PhantomBuilder b = Box(lengthMm, voxelMm);
        // Both are water-equivalent like the box: they are drawn, not painted.
        b.Add("PTV", StructureKind.Ptv, PhantomColors.Ptv, new AnnularSectorShape(0, 0, 15, 37, 10, -40, 40));
        b.Add("Core", StructureKind.Avoidance, PhantomColors.Core, new EllipticCylinderShape(0, 0, 10, 10, -50, 50));
        b.Landmark("Isocenter", Vec3.Zero);
        return b.Build("tg119-cshape", CShapeDescription);
    }

    /// <summary>
    /// TG-119's multitarget case: three coaxial cylinders of radius 20 mm and length 40 mm, 20 mm apart (centres at
    /// z = −60, 0, +60 mm), to be planned to different dose levels.
    /// </summary>
    public static Phantom Multitarget(double voxelMm)
    {
        const double lengthMm = 240;
        PhantomBuilder b = Box(lengthMm, voxelMm);
        b.Add("CentralTarget", StructureKind.Ptv, PhantomColors.Ptv, new EllipticCylinderShape(0, 0, 20, 20, -20, 20));
        b.Add("SuperiorTarget", StructureKind.Ptv, PhantomColors.SuperiorTarget, new EllipticCylinderShape(0, 0, 20, 20, 40, 80));
        b.Add("InferiorTarget", StructureKind.Ptv, PhantomColors.InferiorTarget, new EllipticCylinderShape(0, 0, 20, 20, -80, -40));
        b.Landmark("Isocenter", Vec3.Zero);
        return b.Build("multitarget", MultitargetDescription);
    }

    /// <summary>The water-equivalent box (0 HU) of the given length, as External.</summary>
    private static PhantomBuilder Box(double lengthMm, double voxelMm)
    {
        var b = new PhantomBuilder(new Vec3(BoxXMm + 2 * AirMarginMm, BoxYMm + 2 * AirMarginMm, lengthMm), voxelMm);
        var half = new Vec3(BoxXMm / 2, BoxYMm / 2, lengthMm / 2);
        b.Paint(b.Add("External", StructureKind.External, PhantomColors.External, new BoxShape(-half, half)), PhantomHu.Water);
        return b;
    }
}
