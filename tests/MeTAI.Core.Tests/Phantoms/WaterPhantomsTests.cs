using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;

namespace MeTAI.Core.Tests.Phantoms;

public class WaterPhantomsTests
{
    [Fact]
    public void Water_IsOneWaterCubeFillingTheGrid()
    {
        Phantom p = PhantomLibrary.Build("water", 2);
        PhantomStructure body = Assert.Single(p.Structures);
        Assert.Equal(StructureKind.External, body.Kind);
        Assert.Equal(p.Geometry.VoxelCount, body.Mask.Count);
        PhantomTestData.AssertVolume(p, "External", 27000, 1e-9);
        Assert.All(p.CtHu.Data, hu => Assert.Equal(PhantomHu.Water, hu));
        Assert.Equal(new Vec3(0, -150, 0), p.LandmarksLps["AnteriorSurface"]);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(13)]
    public void Water_VoxelNotDividing300_StillAllWater(double voxelMm)
    {
        Phantom p = PhantomLibrary.Build("water", voxelMm);
        Assert.Equal(p.Geometry.VoxelCount, p.External.Mask.Count);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(2.5)]
    [InlineData(5.0)]
    public void SlabLung_DepthProfileIsWater3Lung7Water(double voxelMm)
    {
        Phantom p = PhantomLibrary.Build("slab-lung", voxelMm);
        Assert.Equal(["External", "LungSlab"], p.Structures.Select(s => s.Name));
        Assert.Equal(StructureKind.Insert, p.Structure("LungSlab").Kind);
        PhantomTestData.AssertVolume(p, "LungSlab", 300 * 300 * 70 / 1000.0, 0.03);

        // Depth d below the anterior surface y = −150 mm, along the central axis and off axis.
        foreach (Vec3 offAxis in new[] { Vec3.Zero, new Vec3(-120, 0, 135) })
        {
            Assert.Equal(PhantomHu.Water, HuAtDepth(p, 10, offAxis));
            Assert.Equal(PhantomHu.Water, HuAtDepth(p, 27, offAxis));
            Assert.Equal(PhantomHu.Lung, HuAtDepth(p, 33, offAxis));
            Assert.Equal(PhantomHu.Lung, HuAtDepth(p, 97, offAxis));
            Assert.Equal(PhantomHu.Water, HuAtDepth(p, 103, offAxis));
            Assert.Equal(PhantomHu.Water, HuAtDepth(p, 290, offAxis));
        }

        PhantomTestData.AssertNear(new Vec3(0, -150 + 65, 0), p.Structure("LungSlab").Mask.CentroidLps(), voxelMm / 2 + 1e-9);
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(5.0)]
    public void SlabBone_DepthProfileIsWater3Bone2Water(double voxelMm)
    {
        Phantom p = PhantomLibrary.Build("slab-bone", voxelMm);
        Assert.Equal(["External", "BoneSlab"], p.Structures.Select(s => s.Name));
        PhantomTestData.AssertVolume(p, "BoneSlab", 300 * 300 * 20 / 1000.0, 0.03);
        Assert.Equal(PhantomHu.Water, HuAtDepth(p, 27, Vec3.Zero));
        Assert.Equal(PhantomHu.Bone, HuAtDepth(p, 33, Vec3.Zero));
        Assert.Equal(PhantomHu.Bone, HuAtDepth(p, 47, Vec3.Zero));
        Assert.Equal(PhantomHu.Water, HuAtDepth(p, 53, Vec3.Zero));
        PhantomTestData.AssertNear(new Vec3(0, -150 + 40, 0), p.Structure("BoneSlab").Mask.CentroidLps(), voxelMm / 2 + 1e-9);
    }

    private static short HuAtDepth(Phantom p, double depthMm, Vec3 offAxis) =>
        PhantomTestData.HuAt(p, new Vec3(offAxis.X, -150 + depthMm, offAxis.Z));
}
