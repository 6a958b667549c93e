using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Phantoms;

public class ProstatePhantomTests
{
    private static readonly Lazy<Phantom> Prostate2Mm = new(() => PhantomLibrary.Build("prostate", 2));

    [Fact]
    public void Structures_NamesAndKinds()
    {
        Phantom p = Prostate2Mm.Value;
        Assert.Equal(["External", "PTV", "CTV", "Rectum", "Bladder", "FemoralHead_L", "FemoralHead_R"], p.Structures.Select(s => s.Name));
        Assert.Equal(
            [StructureKind.External, StructureKind.Ptv, StructureKind.Ctv, StructureKind.Organ, StructureKind.Organ, StructureKind.Bone, StructureKind.Bone],
            p.Structures.Select(s => s.Kind));
    }

    [Fact]
    public void Volumes_MatchAnalytic()
    {
        Phantom p = Prostate2Mm.Value;
        PhantomTestData.AssertVolume(p, "External", Math.PI * 18 * 12 * 20, 0.03);
        PhantomTestData.AssertVolume(p, "CTV", 4.0 / 3 * Math.PI * 2.0 * 1.5 * 2.0, 0.03);
        PhantomTestData.AssertVolume(p, "PTV", PhantomTestData.ParallelBodyVolumeMm3(20, 15, 20, 7) / 1000, 0.03);
        PhantomTestData.AssertVolume(p, "Rectum", Math.PI * 1.5 * 1.5 * 12, 0.03);
        PhantomTestData.AssertVolume(p, "Bladder", 4.0 / 3 * Math.PI * 3.0 * 2.5 * 2.5, 0.03);
        PhantomTestData.AssertVolume(p, "FemoralHead_L", 4.0 / 3 * Math.PI * 2.5 * 2.5 * 2.5, 0.03);
        PhantomTestData.AssertVolume(p, "FemoralHead_R", 4.0 / 3 * Math.PI * 2.5 * 2.5 * 2.5, 0.03);
    }

    [Fact]
    public void Ptv_IsCtvPlusSevenMm()
    {
        Phantom p = Prostate2Mm.Value;
        VoxelMask ctv = p.Structure("CTV").Mask, ptv = p.Structure("PTV").Mask;
        Assert.True(ctv.Subtract(ptv).IsEmpty);

        // Voxel centres sit at odd mm on this grid: about 5–6 mm beyond the CTV surface is in, 8–9 mm is out.
        Assert.True(PhantomTestData.InsideAt(ptv, new Vec3(25, 1, 1)));
        Assert.False(PhantomTestData.InsideAt(ptv, new Vec3(29, 1, 1)));
        Assert.True(PhantomTestData.InsideAt(ptv, new Vec3(1, -21, 1)));
        Assert.False(PhantomTestData.InsideAt(ptv, new Vec3(1, -23, 1)));

        // Bracketed by morphological expansions of the voxel CTV: every point within 7 mm of a CTV voxel centre is
        // within 7 mm of the CTV, so Expand(7) ⊆ PTV exactly; and every PTV point is within 7 mm plus a voxel
        // diagonal (2√3 mm here) of some CTV voxel centre.
        Assert.True(ctv.Expand(7).Subtract(ptv).IsEmpty);
        Assert.True(ptv.Subtract(ctv.Expand(7 + 2 * Math.Sqrt(3))).IsEmpty);
    }

    [Fact]
    public void OrgansAbutThePtvButNotTheCtv()
    {
        Phantom p = Prostate2Mm.Value;
        VoxelMask ctv = p.Structure("CTV").Mask, ptv = p.Structure("PTV").Mask;
        foreach (string organ in new[] { "Rectum", "Bladder" })
        {
            VoxelMask m = p.Structure(organ).Mask;
            Assert.True(m.Intersect(ctv).IsEmpty, $"{organ} overlaps the CTV");
            double overlapCc = m.Intersect(ptv).VolumeCc;
            Assert.InRange(overlapCc, 0.3, 5);
        }

        Vec3 rectum = p.Structure("Rectum").Mask.CentroidLps(), bladder = p.Structure("Bladder").Mask.CentroidLps();
        PhantomTestData.AssertNear(new Vec3(0, 32, 0), rectum, 0.5);    // posterior of the prostate
        PhantomTestData.AssertNear(new Vec3(0, -18, 40), bladder, 0.5); // anterior and superior
        PhantomTestData.AssertNear(Vec3.Zero, p.Structure("CTV").Mask.CentroidLps(), 0.5);
        PhantomTestData.AssertNear(new Vec3(90, 0, 0), p.Structure("FemoralHead_L").Mask.CentroidLps(), 0.5);  // patient's left is +x
        PhantomTestData.AssertNear(new Vec3(-90, 0, 0), p.Structure("FemoralHead_R").Mask.CentroidLps(), 0.5);
    }

    [Fact]
    public void CtNumbers_AtSamplePoints()
    {
        Phantom p = Prostate2Mm.Value;
        Assert.Equal(PhantomHu.SoftTissue, PhantomTestData.HuAt(p, Vec3.Zero));                 // prostate
        Assert.Equal(PhantomHu.SoftTissue, PhantomTestData.HuAt(p, new Vec3(0, 32, -50)));      // rectum
        Assert.Equal(PhantomHu.Water, PhantomTestData.HuAt(p, new Vec3(0, -18, 40)));           // bladder (urine)
        Assert.Equal(PhantomHu.Bone, PhantomTestData.HuAt(p, new Vec3(90, 0, 0)));
        Assert.Equal(PhantomHu.Bone, PhantomTestData.HuAt(p, new Vec3(-100, 10, 10)));
        Assert.Equal(PhantomHu.SoftTissue, PhantomTestData.HuAt(p, new Vec3(150, 0, 0)));      // body
        Assert.Equal(PhantomHu.Air, PhantomTestData.HuAt(p, new Vec3(150, 100, 0)));           // outside the ellipse
        Assert.Equal(Vec3.Zero, p.LandmarksLps["Isocenter"]);
    }
}
