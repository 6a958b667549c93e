using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;
using MeTAI.Dicom.Rt;
using MeTAI.Planner.Dose;
using MeTAI.Planner.Plans;

namespace MeTAI.Planner.Tests.Dose;

/// <summary>The body: a case's body ROI, else the CT's outline (threshold, largest connected part, slice holes filled).</summary>
public class BodyOutlineTests
{
    // 20 × 20 × 6 voxels of 5 mm: a tissue block (i 3–16, j 3–12) enclosing a lung (−800 HU) and an air bubble, a
    // couch below it (j 15–16) with an air gap, and one stray bright voxel in a corner.
    private static VoxelGrid<short> Ct()
    {
        var g = new GridGeometry(20, 20, 6, new Vec3(5, 5, 5), Vec3.Zero);
        var hu = new VoxelGrid<short>(g);
        Array.Fill(hu.Data, (short)-1000);
        for (int k = 0; k < 6; k++)
        {
            for (int j = 0; j < 20; j++)
            {
                for (int i = 0; i < 20; i++)
                {
                    if (i is >= 3 and <= 16 && j is >= 3 and <= 12)
                    {
                        hu[i, j, k] = i is >= 5 and <= 8 && j is >= 5 and <= 9 && k is >= 1 and <= 4 ? (short)-800 : (short)40;
                    }
                    else if (j is 15 or 16 && i is >= 2 and <= 17)
                    {
                        hu[i, j, k] = 200;
                    }
                }
            }
        }

        hu[12, 8, 2] = -1000;
        hu[0, 19, 0] = 100;
        return hu;
    }

    [Fact]
    public void FromCt_BlockWithLungCouchAndSpeckle_IsTheBlockWithItsHoles()
    {
        VoxelMask body = BodyOutline.FromCt(Ct());

        Assert.Equal(BodyOutline.Name, body.Name);
        Assert.Equal(14 * 10 * 6, body.Count);
        Assert.True(body[6, 7, 2]);    // lung
        Assert.True(body[12, 8, 2]);   // air bubble
        Assert.False(body[10, 15, 2]); // couch
        Assert.False(body[0, 19, 0]);  // speckle
        Assert.False(body[10, 13, 2]); // air gap
    }

    [Fact]
    public void FromCt_AllAir_IsEmpty()
    {
        var hu = new VoxelGrid<short>(new GridGeometry(4, 4, 2, new Vec3(5, 5, 5), Vec3.Zero));
        Array.Fill(hu.Data, (short)-1000);

        Assert.True(BodyOutline.FromCt(hu).IsEmpty);
    }

    [Fact]
    public void BodyMask_ExternalRoi_IsTakenOverNamesAndTheCt()
    {
        VoxelGrid<short> hu = Ct();
        var named = new VoxelMask("BODY", hu.Geometry);
        named[1, 1, 1] = true;
        var external = new VoxelMask("Skin contour", hu.Geometry);
        external[2, 2, 2] = true;
        PlanCase c = Case(hu, new PlanStructure(named, "", new RgbColor(0, 0, 0)), new PlanStructure(external, "EXTERNAL", new RgbColor(0, 0, 0)));

        Assert.Same(external, c.BodyMask());
    }

    [Fact]
    public void BodyMask_UntypedRoiNamedBody_IsTaken()
    {
        VoxelGrid<short> hu = Ct();
        var named = new VoxelMask("body", hu.Geometry);
        var organ = new VoxelMask("Body", hu.Geometry);
        PlanCase c = Case(hu, new PlanStructure(organ, "ORGAN", new RgbColor(0, 0, 0)), new PlanStructure(named, "", new RgbColor(0, 0, 0)));

        Assert.Same(named, c.BodyMask());
    }

    [Fact]
    public void BodyMask_NoBodyRoi_IsTheCtOutline()
    {
        VoxelGrid<short> hu = Ct();
        var ptv = new VoxelMask("PTV", hu.Geometry);
        ptv[10, 7, 3] = true;
        PlanCase c = Case(hu, new PlanStructure(ptv, "PTV", new RgbColor(0, 0, 0)));

        VoxelMask body = c.BodyMask();

        Assert.Equal(BodyOutline.Name, body.Name);
        Assert.Equal(BodyOutline.FromCt(hu).Voxels, body.Voxels);
    }

    private static PlanCase Case(VoxelGrid<short> hu, params PlanStructure[] structures) =>
        new("synthetic", CtSeries.Create(hu), structures);
}
