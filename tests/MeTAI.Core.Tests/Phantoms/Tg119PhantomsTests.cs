using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Core.Voxels;

namespace MeTAI.Core.Tests.Phantoms;

public class Tg119PhantomsTests
{
    private static readonly Lazy<Phantom> CShape2Mm = new(() => PhantomLibrary.Build("tg119-cshape", 2));
    private static readonly Lazy<Phantom> Multitarget2Mm = new(() => PhantomLibrary.Build("multitarget", 2));

    [Fact]
    public void CShape_StructuresAndKinds()
    {
        Phantom p = CShape2Mm.Value;
        Assert.Equal(["External", "PTV", "Core"], p.Structures.Select(s => s.Name));
        Assert.Equal([StructureKind.External, StructureKind.Ptv, StructureKind.Avoidance], p.Structures.Select(s => s.Kind));
    }

    [Fact]
    public void CShape_VolumesMatchAnalytic()
    {
        Phantom p = CShape2Mm.Value;
        PhantomTestData.AssertVolume(p, "External", 30 * 20 * 16, 0.03);
        PhantomTestData.AssertVolume(p, "Core", Math.PI * 1.0 * 1.0 * 10, 0.03);

        // Annulus 1.5–3.7 cm × 8 cm minus the anterior slot |x| < 0.5 cm (its area from ∫ √(R² − x²) dx).
        static double HalfChordIntegral(double r, double x) => (x * Math.Sqrt(r * r - x * x) + r * r * Math.Asin(x / r)) / 2;
        double slotCm2 = 2 * (HalfChordIntegral(3.7, 0.5) - HalfChordIntegral(1.5, 0.5));
        double ptvCc = (Math.PI * (3.7 * 3.7 - 1.5 * 1.5) - slotCm2) * 8;
        PhantomTestData.AssertVolume(p, "PTV", ptvCc, 0.03);
    }

    [Fact]
    public void CShape_OpensAnteriorlyAndKeepsFiveMmFromCore()
    {
        Phantom p = CShape2Mm.Value;
        VoxelMask ptv = p.Structure("PTV").Mask, core = p.Structure("Core").Mask;
        Assert.True(PhantomTestData.InsideAt(ptv, new Vec3(0, 25, 0)));    // posterior
        Assert.True(PhantomTestData.InsideAt(ptv, new Vec3(25, 0, 0)));    // left
        Assert.True(PhantomTestData.InsideAt(ptv, new Vec3(-25, 0, 30)));  // right
        Assert.True(PhantomTestData.InsideAt(ptv, new Vec3(7, -25, 0)));   // beside the slot
        Assert.False(PhantomTestData.InsideAt(ptv, new Vec3(1, -25, 0)));  // in the slot
        Assert.False(PhantomTestData.InsideAt(ptv, new Vec3(0, 25, 45)));  // beyond its 8 cm
        Assert.True(PhantomTestData.InsideAt(core, new Vec3(0, 0, 45)));   // core overhangs the PTV

        Assert.True(ptv.Intersect(core).IsEmpty);
        double closestMm = double.PositiveInfinity;
        List<Vec3> corePoints = PhantomTestData.VoxelCenters(core);
        foreach (Vec3 a in PhantomTestData.VoxelCenters(ptv))
        {
            if (Math.Abs(a.Z) > 2 || a.X * a.X + a.Y * a.Y > 17 * 17)
            {
                continue;
            }

            foreach (Vec3 b in corePoints)
            {
                closestMm = Math.Min(closestMm, (a - b).Length);
            }
        }

        Assert.InRange(closestMm, 4.5, 7.5); // 5 mm gap between surfaces, seen between voxel centres

        Vec3 centroid = p.Structure("PTV").Mask.CentroidLps();
        Assert.Equal(0, centroid.X, 6);
        Assert.Equal(0, centroid.Z, 6);
        Assert.InRange(centroid.Y, 0.5, 3); // the anterior slot pushes it posterior
        PhantomTestData.AssertNear(Vec3.Zero, p.Structure("Core").Mask.CentroidLps(), 1e-6);
        Assert.Equal(PhantomHu.Water, PhantomTestData.HuAt(p, new Vec3(0, 25, 0)));
        Assert.Equal(PhantomHu.Air, PhantomTestData.HuAt(p, new Vec3(160, 0, 0)));
    }

    [Fact]
    public void Multitarget_ThreeStackedCylinders()
    {
        Phantom p = Multitarget2Mm.Value;
        Assert.Equal(["External", "CentralTarget", "SuperiorTarget", "InferiorTarget"], p.Structures.Select(s => s.Name));
        Assert.All(p.Structures.Skip(1), s => Assert.Equal(StructureKind.Ptv, s.Kind));
        PhantomTestData.AssertVolume(p, "External", 30 * 20 * 24, 0.03);
        double cylinderCc = Math.PI * 2 * 2 * 4;
        foreach ((string name, double zMm) in new[] { ("CentralTarget", 0.0), ("SuperiorTarget", 60.0), ("InferiorTarget", -60.0) })
        {
            PhantomTestData.AssertVolume(p, name, cylinderCc, 0.03);
            PhantomTestData.AssertNear(new Vec3(0, 0, zMm), p.Structure(name).Mask.CentroidLps(), 1e-6);
        }

        VoxelMask c = p.Structure("CentralTarget").Mask, s = p.Structure("SuperiorTarget").Mask, i = p.Structure("InferiorTarget").Mask;
        Assert.True(c.Intersect(s).IsEmpty && c.Intersect(i).IsEmpty && s.Intersect(i).IsEmpty);
        Assert.False(PhantomTestData.InsideAt(c, new Vec3(0, 0, 30)));
        Assert.False(PhantomTestData.InsideAt(s, new Vec3(0, 0, 30))); // 2 cm gaps between targets
        Assert.True(PhantomTestData.InsideAt(s, new Vec3(15, 0, 45)));
        Assert.Equal(PhantomHu.Water, PhantomTestData.HuAt(p, new Vec3(0, 0, 60)));
    }
}
