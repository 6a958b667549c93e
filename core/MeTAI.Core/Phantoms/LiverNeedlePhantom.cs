using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms.Shapes;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Phantoms;

/// <summary>
/// An abdomen for rehearsing a percutaneous needle insertion into a liver tumour. All sizes in mm, LPS:
/// <list type="bullet">
/// <item>External: soft-tissue elliptic cylinder, semi-axes 160 (LR) × 110 (AP), z ±100; 20 mm of air around it in x and y.</item>
/// <item>Liver: ellipsoid on the patient's right (−x), centre (−60, −5, 20), semi-axes 80 × 70 × 75, 60 HU.</item>
/// <item>Tumor: sphere r 10 at (−70, 0, 10), deep in the liver, 40 HU (hypodense).</item>
/// <item>DefaultEntry: the skin point at z = 10 in the anterior-lateral right direction (225° from +x on the body
/// ellipse, about (−113, −78, 10)). TargetCenter: the tumour centre.</item>
/// <item>Vessel: contrast-filled tube r 4 along z (−30 ≤ z ≤ 70, inside the liver) through the midpoint of the straight
/// DefaultEntry → TargetCenter path, which it therefore blocks; paths from the lateral side pass it by more than 30 mm.</item>
/// <item>Ribs: five bone bands 10 mm wide in z, 15–25 mm under the skin all around, centred at
/// z = −77.5, −42.5, −7.5, 27.5, 62.5: 25 mm intercostal gaps, one of them (−2.5 &lt; z &lt; 22.5) at the tumour's level.</item>
/// </list>
/// </summary>
internal static class LiverNeedlePhantom
{
    public const string Description =
        "Abdomen for needle rehearsal: soft-tissue elliptic cylinder 32 LR × 22 AP × 20 SI cm, liver on the patient's right, " +
        "2 cm tumour deep in it, an 8 mm contrast vessel across the straight DefaultEntry → TargetCenter path, five rib bands with intercostal gaps.";

    private const double SemiXMm = 160, SemiYMm = 110;

    public static Phantom Build(double voxelMm)
    {
        var b = new PhantomBuilder(new Vec3(2 * SemiXMm + 40, 2 * SemiYMm + 40, 200), voxelMm);
        var tumorCenter = new Vec3(-70, 0, 10);
        double entryAngleRad = Units.DegToRad(225);
        var entry = new Vec3(SemiXMm * Math.Cos(entryAngleRad), SemiYMm * Math.Sin(entryAngleRad), tumorCenter.Z);
        Vec3 vesselAxis = Vec3.Lerp(entry, tumorCenter, 0.5);

        VoxelMask body = b.Add("External", StructureKind.External, PhantomColors.External, new EllipticCylinderShape(0, 0, SemiXMm, SemiYMm, -100, 100));
        VoxelMask liver = b.Add("Liver", StructureKind.Organ, PhantomColors.Liver, new EllipsoidShape(new Vec3(-60, -5, 20), new Vec3(80, 70, 75)));
        VoxelMask tumor = b.Add("Tumor", StructureKind.Gtv, PhantomColors.Gtv, new EllipsoidShape(tumorCenter, new Vec3(10, 10, 10)));
        VoxelMask vessel = b.Add("Vessel", StructureKind.Vessel, PhantomColors.Vessel, new EllipticCylinderShape(vesselAxis.X, vesselAxis.Y, 4, 4, -30, 70));
        ReadOnlySpan<EllipticBandShape> ribs =
        [
            new(SemiXMm, SemiYMm, 15, 25, -77.5, 5),
            new(SemiXMm, SemiYMm, 15, 25, -42.5, 5),
            new(SemiXMm, SemiYMm, 15, 25, -7.5, 5),
            new(SemiXMm, SemiYMm, 15, 25, 27.5, 5),
            new(SemiXMm, SemiYMm, 15, 25, 62.5, 5),
        ];
        VoxelMask ribMask = b.AddUnion("Ribs", StructureKind.Bone, PhantomColors.Bone, ribs);

        b.Paint(body, PhantomHu.SoftTissue);
        b.Paint(liver, PhantomHu.Liver);
        b.Paint(tumor, PhantomHu.SoftTissue);
        b.Paint(vessel, PhantomHu.VesselContrast);
        b.Paint(ribMask, PhantomHu.Bone);
        b.Landmark("Isocenter", tumorCenter);
        b.Landmark("TargetCenter", tumorCenter);
        b.Landmark("DefaultEntry", entry);
        return b.Build("liver-needle", Description);
    }
}
