using MeTAI.Core.Contours;
using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Phantoms;

public class PhantomLibraryTests
{
    public static TheoryData<string> AllNames() => [.. PhantomLibrary.Names];

    [Fact]
    public void Names_ListsTheSevenPhantoms()
    {
        Assert.Equal(["water", "slab-lung", "slab-bone", "tg119-cshape", "prostate", "multitarget", "liver-needle"], PhantomLibrary.Names);
    }

    [Fact]
    public void Build_UnknownName_ThrowsListingValidNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => PhantomLibrary.Build("pelvis", 5));
        Assert.Contains("'pelvis'", ex.Message, StringComparison.Ordinal);
        foreach (string name in PhantomLibrary.Names)
        {
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0.49)]
    [InlineData(20.01)]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Build_VoxelSizeOutOfRange_Throws(double voxelMm)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PhantomLibrary.Build("water", voxelMm));
        Assert.Contains("0.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NameIsCaseInsensitiveAndTrimmed()
    {
        Phantom p = PhantomLibrary.Build(" Water ", 20);
        Assert.Equal("water", p.Name);
    }

    [Fact]
    public void Build_LargestVoxel_Works()
    {
        Phantom p = PhantomLibrary.Build("water", 20);
        Assert.Equal(15, p.Geometry.SizeX);
    }

    [Fact]
    public void Describe_EveryName_OneLine()
    {
        foreach (string name in PhantomLibrary.Names)
        {
            string text = PhantomLibrary.Describe(name);
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.DoesNotContain('\n', text);
        }

        Assert.Throws<ArgumentException>(() => PhantomLibrary.Describe("nope"));
    }

    [Theory]
    [InlineData("water", 5, 60, 60, 60)]
    [InlineData("water", 2.5, 120, 120, 120)]
    [InlineData("slab-lung", 5, 60, 60, 60)]
    [InlineData("slab-lung", 2.5, 120, 120, 120)]
    [InlineData("slab-bone", 5, 60, 60, 60)]
    [InlineData("slab-bone", 2.5, 120, 120, 120)]
    [InlineData("tg119-cshape", 5, 68, 48, 32)]
    [InlineData("tg119-cshape", 2.5, 136, 96, 64)]
    [InlineData("prostate", 5, 80, 56, 40)]
    [InlineData("prostate", 2.5, 160, 112, 80)]
    [InlineData("multitarget", 5, 68, 48, 48)]
    [InlineData("multitarget", 2.5, 136, 96, 96)]
    [InlineData("liver-needle", 5, 72, 52, 40)]
    [InlineData("liver-needle", 2.5, 144, 104, 80)]
    public void Build_GridSize_MatchesExtentOverVoxel(string name, double voxelMm, int nx, int ny, int nz)
    {
        Phantom p = PhantomLibrary.Build(name, voxelMm);
        GridGeometry g = p.Geometry;
        Assert.Equal((nx, ny, nz), (g.SizeX, g.SizeY, g.SizeZ));
        Assert.Equal(new Vec3(voxelMm, voxelMm, voxelMm), g.SpacingMm);
        Assert.True(g.IsAxisAligned);

        // Centred: the middle of the grid is LPS (0, 0, 0).
        PhantomTestData.AssertNear(Vec3.Zero, g.IndexToLps((nx - 1) / 2.0, (ny - 1) / 2.0, (nz - 1) / 2.0), 1e-9);
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Build_EveryPhantom_IsConsistent(string name)
    {
        Phantom p = PhantomLibrary.Build(name, 5);

        Assert.Equal(name, p.Name);
        Assert.Equal(PhantomLibrary.Describe(name), p.Description);
        Assert.Equal("External", p.Structures[0].Name);
        Assert.Same(p.Structures[0], p.External);
        Assert.Contains("Isocenter", p.LandmarksLps.Keys);
        foreach (Vec3 landmark in p.LandmarksLps.Values)
        {
            Assert.True(p.Geometry.TryNearestVoxel(landmark, out _, out _, out _), $"landmark {landmark} outside the grid");
        }

        VoxelMask body = p.External.Mask;
        foreach (PhantomStructure s in p.Structures)
        {
            Assert.False(s.Mask.IsEmpty, $"{s.Name} is empty");
            Assert.True(s.Mask.Subtract(body).IsEmpty, $"{s.Name} leaves the External");
            Assert.Same(p.Geometry, s.Mask.Geometry);
        }

        // Air outside the body, tissue (never air) inside.
        for (int n = 0; n < body.Voxels.Length; n++)
        {
            Assert.True((body.Voxels[n] != 0) == (p.CtHu.Data[n] != PhantomHu.Air), $"voxel {n}: body {body.Voxels[n]}, HU {p.CtHu.Data[n]}");
        }
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void TraceThenRasterize_EveryStructureOfEveryPhantom_ReproducesMaskExactly(string name)
    {
        Phantom p = PhantomLibrary.Build(name, 5);
        foreach (PhantomStructure s in p.Structures)
        {
            IReadOnlyList<Contour> contours = ContourTracer.Trace(s.Mask);
            VoxelMask back = ContourRasterizer.Rasterize(s.Name, contours, p.Geometry, p.Geometry.SpacingMm.Z);
            Assert.True(back.Voxels.AsSpan().SequenceEqual(s.Mask.Voxels), $"{name}/{s.Name} differs after the round trip");
        }
    }

    [Fact]
    public void TraceThenRasterize_ProstateAndLiverAtFineVoxels_ReproduceMasksExactly()
    {
        foreach (string name in new[] { "prostate", "liver-needle" })
        {
            Phantom p = PhantomLibrary.Build(name, 2.5);
            foreach (PhantomStructure s in p.Structures)
            {
                VoxelMask back = ContourRasterizer.Rasterize(s.Name, ContourTracer.Trace(s.Mask), p.Geometry, 2.5);
                Assert.True(back.Voxels.AsSpan().SequenceEqual(s.Mask.Voxels), $"{name}/{s.Name} differs after the round trip");
            }
        }
    }

    [Fact]
    public void Structure_UnknownName_ThrowsListingStructures()
    {
        Phantom p = PhantomLibrary.Build("tg119-cshape", 10);
        var ex = Assert.Throws<KeyNotFoundException>(() => p.Structure("Rectum"));
        Assert.Contains("PTV", ex.Message, StringComparison.Ordinal);
        Assert.Same(p.Structure("PTV"), p.Structure("ptv"));
    }
}
