using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms.Shapes;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms;

/// <summary>
/// A pelvis for prostate planning. All sizes in mm, LPS (x left, y posterior, z superior), centre of the prostate at
/// the origin:
/// <list type="bullet">
/// <item>External: soft-tissue elliptic cylinder, semi-axes 180 (LR) × 120 (AP), z ±100; 20 mm of air around it in x and y.</item>
/// <item>CTV: prostate ellipsoid, semi-axes 20 × 15 × 20 (4 × 3 × 4 cm). PTV: every point within 7 mm of the CTV (exact parallel body).</item>
/// <item>Rectum: soft-tissue cylinder r 15 along z (|z| ≤ 60) centred at y = +32: its anterior wall (y = 17) is 2 mm
/// behind the CTV and 5 mm into the PTV (about 1.4 cm³ of rectum inside the PTV).</item>
/// <item>Bladder: water-filled ellipsoid, semi-axes 30 × 25 × 25, centred at (0, −18, 40): superior-anterior of the
/// prostate, clear of the CTV, its base about 2 cm³ into the PTV.</item>
/// <item>FemoralHead_L / FemoralHead_R: bone spheres r 25 at x = +90 / −90.</item>
/// </list>
/// </summary>
internal static class ProstatePhantom
{
    public const string Description =
        "Pelvis: soft-tissue elliptic cylinder 36 LR × 24 AP × 20 SI cm; prostate CTV ellipsoid 4 × 3 × 4 cm at the centre, " +
        "PTV = CTV + 7 mm, rectum behind, bladder superior-anterior, bone femoral heads (5 cm) at ±9 cm lateral.";

    public static Phantom Build(double voxelMm)
    {
        var b = new PhantomBuilder(new Vec3(400, 280, 200), voxelMm);
        VoxelMask body = b.Add("External", StructureKind.External, PhantomColors.External, new EllipticCylinderShape(0, 0, 180, 120, -100, 100));
        var prostateCenter = Vec3.Zero;
        var prostateSemi = new Vec3(20, 15, 20);
        b.Add("PTV", StructureKind.Ptv, PhantomColors.Ptv, new EllipsoidShape(prostateCenter, prostateSemi, marginMm: 7));
        VoxelMask ctv = b.Add("CTV", StructureKind.Ctv, PhantomColors.Ctv, new EllipsoidShape(prostateCenter, prostateSemi));
        VoxelMask rectum = b.Add("Rectum", StructureKind.Organ, PhantomColors.Rectum, new EllipticCylinderShape(0, 32, 15, 15, -60, 60));
        VoxelMask bladder = b.Add("Bladder", StructureKind.Organ, PhantomColors.Bladder, new EllipsoidShape(new Vec3(0, -18, 40), new Vec3(30, 25, 25)));
        VoxelMask headL = b.Add("FemoralHead_L", StructureKind.Bone, PhantomColors.FemoralHeadLeft, new EllipsoidShape(new Vec3(90, 0, 0), new Vec3(25, 25, 25)));
        VoxelMask headR = b.Add("FemoralHead_R", StructureKind.Bone, PhantomColors.FemoralHeadRight, new EllipsoidShape(new Vec3(-90, 0, 0), new Vec3(25, 25, 25)));

        // The PTV is a planning margin, not tissue: it is not painted.
        b.Paint(body, PhantomHu.SoftTissue);
        b.Paint(ctv, PhantomHu.SoftTissue);
        b.Paint(rectum, PhantomHu.SoftTissue);
        b.Paint(bladder, PhantomHu.Water);
        b.Paint(headL, PhantomHu.Bone);
        b.Paint(headR, PhantomHu.Bone);
        b.Landmark("Isocenter", prostateCenter);
        return b.Build("prostate", Description);
    }
}
