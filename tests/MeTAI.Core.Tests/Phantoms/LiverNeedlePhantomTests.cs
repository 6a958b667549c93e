using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Phantoms;

public class LiverNeedlePhantomTests
{
    private static readonly Lazy<Phantom> Liver2Mm = new(() => PhantomLibrary.Build("liver-needle", 2));

    [Fact]
    public void Structures_NamesKindsAndLandmarks()
    {
        Phantom p = Liver2Mm.Value;
        Assert.Equal(["External", "Liver", "Tumor", "Vessel", "Ribs"], p.Structures.Select(s => s.Name));
        Assert.Equal(
            [StructureKind.External, StructureKind.Organ, StructureKind.Gtv, StructureKind.Vessel, StructureKind.Bone],
            p.Structures.Select(s => s.Kind));
        Assert.Equal(new Vec3(-70, 0, 10), p.LandmarksLps["TargetCenter"]);
        Assert.Equal(p.LandmarksLps["TargetCenter"], p.LandmarksLps["Isocenter"]);
        Vec3 entry = p.LandmarksLps["DefaultEntry"];

        // On the skin (body ellipse 160 × 110), anterior (−y) and on the patient's right (−x).
        Assert.Equal(1, (entry.X / 160) * (entry.X / 160) + (entry.Y / 110) * (entry.Y / 110), 9);
        Assert.True(entry.X < -100 && entry.Y < -50);
        Assert.Equal(10, entry.Z, 9);
    }

    [Fact]
    public void Volumes_MatchAnalytic()
    {
        Phantom p = Liver2Mm.Value;
        PhantomTestData.AssertVolume(p, "External", Math.PI * 16 * 11 * 20, 0.03);
        PhantomTestData.AssertVolume(p, "Liver", 4.0 / 3 * Math.PI * 8 * 7 * 7.5, 0.03);
        double ribCc = Math.PI * (14.5 * 9.5 - 13.5 * 8.5) * 1.0 * 5;
        PhantomTestData.AssertVolume(p, "Ribs", ribCc, 0.03);

        // The tumour (r 10 mm) and the vessel (r 4 mm) are only a few voxels across at 2 mm: looser there.
        PhantomTestData.AssertVolume(p, "Tumor", 4.0 / 3 * Math.PI, 0.08);
        PhantomTestData.AssertVolume(p, "Vessel", Math.PI * 0.4 * 0.4 * 10, 0.08);
    }

    [Fact]
    public void Volumes_SmallStructuresAtOneMm_WithinThreePercent()
    {
        Phantom p = PhantomLibrary.Build("liver-needle", 1);
        PhantomTestData.AssertVolume(p, "Tumor", 4.0 / 3 * Math.PI, 0.03);
        PhantomTestData.AssertVolume(p, "Vessel", Math.PI * 0.4 * 0.4 * 10, 0.03);
    }

    [Fact]
    public void Anatomy_LiverOnPatientsRightTumourDeepInsideRibsLeaveGaps()
    {
        Phantom p = Liver2Mm.Value;
        VoxelMask liver = p.Structure("Liver").Mask, tumor = p.Structure("Tumor").Mask, ribs = p.Structure("Ribs").Mask;
        PhantomTestData.AssertNear(new Vec3(-60, -5, 20), liver.CentroidLps(), 0.5);
        Assert.True(liver.CentroidLps().X < 0);
        PhantomTestData.AssertNear(new Vec3(-70, 0, 10), tumor.CentroidLps(), 0.5);
        Assert.True(tumor.Subtract(liver).IsEmpty);
        Assert.True(p.Structure("Vessel").Mask.Subtract(liver).IsEmpty);

        // The tumour (r 10 mm) lies at least 2 cm under the liver surface in all six axis directions.
        var center = new Vec3(-70, 0, 10);
        foreach (Vec3 axis in new[] { Vec3.UnitX, -Vec3.UnitX, Vec3.UnitY, -Vec3.UnitY, Vec3.UnitZ, -Vec3.UnitZ })
        {
            Assert.True(PhantomTestData.InsideAt(liver, center + axis * 30), $"liver does not reach 3 cm from the tumour centre along {axis}");
        }

        // Five rib bands; no rib voxel at the tumour's level.
        int slicesWithRibs = 0;
        GridGeometry g = p.Geometry;
        for (int k = 0; k < g.SizeZ; k++)
        {
            bool any = ribs.Voxels.AsSpan(k * g.SizeX * g.SizeY, g.SizeX * g.SizeY).ContainsAnyExcept((byte)0);
            slicesWithRibs += any ? 1 : 0;
            double z = g.IndexToLps(0, 0, k).Z;
            if (z > 0 && z < 20)
            {
                Assert.False(any, $"rib voxels at z = {z} mm");
            }
        }

        Assert.Equal(5 * 5, slicesWithRibs); // five bands of 10 mm at 2 mm slices

        Assert.Equal(PhantomHu.Liver, PhantomTestData.HuAt(p, new Vec3(-40, 20, 40)));
        Assert.Equal(PhantomHu.SoftTissue, PhantomTestData.HuAt(p, new Vec3(-70, 0, 10)));
        Assert.Equal(PhantomHu.VesselContrast, PhantomTestData.HuAt(p, Vec3.Lerp(p.LandmarksLps["DefaultEntry"], p.LandmarksLps["TargetCenter"], 0.5)));
        Assert.Equal(PhantomHu.Bone, PhantomTestData.HuAt(p, new Vec3(0, -110 + 20, 27.5)));
        Assert.Equal(PhantomHu.SoftTissue, PhantomTestData.HuAt(p, new Vec3(60, 0, 0)));
    }

    [Fact]
    public void StraightDefaultPath_CrossesTheVessel()
    {
        Phantom p = Liver2Mm.Value;
        Vec3 entry = p.LandmarksLps["DefaultEntry"], target = p.LandmarksLps["TargetCenter"];
        Assert.True(PhantomTestData.SegmentHitsMask(p.Structure("Vessel").Mask, entry, target));
        Assert.False(PhantomTestData.SegmentHitsMask(p.Structure("Ribs").Mask, entry, target));
    }

    [Fact]
    public void SomeOtherSkinEntry_HasTenMmClearanceFromVesselAndMissesRibs()
    {
        Phantom p = Liver2Mm.Value;
        Vec3 target = p.LandmarksLps["TargetCenter"];
        List<Vec3> vessel = PhantomTestData.VoxelCenters(p.Structure("Vessel").Mask);
        VoxelMask ribs = p.Structure("Ribs").Mask;

        // Candidate entries on the skin at the tumour's level, all around the patient's right side.
        var clear = new List<double>();
        for (int deg = 90; deg <= 270; deg += 5)
        {
            double a = Units.DegToRad(deg);
            var entry = new Vec3(160 * Math.Cos(a), 110 * Math.Sin(a), target.Z);
            double clearanceMm = double.PositiveInfinity;
            foreach (Vec3 v in vessel)
            {
                // Voxel centres: the vessel's surface is up to half a voxel beyond them.
                clearanceMm = Math.Min(clearanceMm, PhantomTestData.DistanceToSegment(v, entry, target) - 1);
            }

            if (clearanceMm >= 10 && !PhantomTestData.SegmentHitsMask(ribs, entry, target))
            {
                clear.Add(deg);
            }
        }

        Assert.Contains(180.0, clear); // straight in from the patient's right side
        Assert.DoesNotContain(225.0, clear); // the default direction
    }
}
