using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using Xunit.Abstractions;

namespace MeTAI.Rehearsal.Tests.Avatar;

/// <summary>
/// The conforming mesh: snapping puts the skin and organ interfaces on the label isosurfaces, and the repair keeps every
/// tet inside the documented limits (no inverted tet, dihedral angles ≥ <see cref="MeshQuality.MinDihedralLimitDeg"/>°,
/// aspect ratio ≤ <see cref="MeshQuality.MaxAspectRatioLimit"/>).
/// </summary>
public class MeshQualityTests(ITestOutputHelper output)
{
    [Fact]
    public void Measure_LatticeBox_IsTheFiveTetSplit()
    {
        MeshQuality q = TestBodies.Box(new Vec3(40, 30, 20), 10).MeasureQuality();
        Assert.Equal(0, q.InvertedTets);
        Assert.Equal(Math.Acos(1 / Math.Sqrt(3)) * 180 / Math.PI, q.MinDihedralDeg, 6); // 54.74°: the corner tets
        Assert.Equal(90, q.MaxDihedralDeg, 6);
        Assert.Equal(Math.Sqrt(2) / (2 * Math.Sqrt(6) * (0.5 / (1.5 + Math.Sqrt(3) / 2))), q.MaxAspectRatio, 6);
        Assert.True(q.WithinLimits);
    }

    [Fact]
    public void AspectRatio_RegularTetIsOne_SliverIsLarge()
    {
        Vec3 a = new(1, 1, 1), b = new(1, -1, -1), c = new(-1, 1, -1), d = new(-1, -1, 1);
        Assert.Equal(1, MeshQuality.AspectRatio(a, b, c, d), 9);
        Assert.Equal(Math.Acos(1.0 / 3) * 180 / Math.PI, MeshQuality.DihedralRangeDeg(a, b, c, d).MinDeg, 9);
        Vec3 flat = new(0.5, 0.5, 0.02), e = new(1, 0, 0), f = new(0, 1, 0), g = new(1, 1, 0);
        Assert.False(MeshQuality.IsAcceptable(Vec3.Zero, e, g, flat) && MeshQuality.IsAcceptable(Vec3.Zero, e, f, g));
    }

    [Fact]
    public void Build_Sphere_SkinOnTheSurfaceWithinLimits()
    {
        LabelVolume sphere = TwoSpheres(40, 0, Vec3.Zero);
        TetMesh staircase = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 8, SmoothingIterations = 0, SnapToSurfaces = false });
        TetMesh taubin = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 8, SnapToSurfaces = false });
        TetMesh snapped = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 8 });
        double stair = RadialRms(staircase, Vec3.Zero, 40, skin: true), smooth = RadialRms(taubin, Vec3.Zero, 40, skin: true), snap = RadialRms(snapped, Vec3.Zero, 40, skin: true);
        MeshQuality q = snapped.MeasureQuality();
        MeshConformity c = snapped.Conformity;
        output.WriteLine($"skin radial RMS: staircase {stair:0.00} mm, Taubin {smooth:0.00} mm, snapped {snap:0.00} mm; {c}; {q}");
        Assert.True(snap < 0.4, $"snapped skin RMS {snap:0.00} mm");
        Assert.True(snap < 0.4 * smooth && smooth < stair);
        Assert.True(c.SkinOnSurface >= 0.7 * c.SkinNodes, c.ToString());
        Assert.True(q.WithinLimits, q.ToString());
        Assert.InRange(snapped.TotalVolumeMm3() / (4.0 / 3 * Math.PI * 40 * 40 * 40), 0.98, 1.02);
    }

    [Fact]
    public void Build_OrganInside_InterfaceOnTheOrganSurfaceWithinLimits()
    {
        // An off-centre 18 mm organ (label 2) in a 45 mm body: its boundary is not aligned with the lattice.
        var organCentre = new Vec3(6.3, -4.1, 3.7);
        LabelVolume body = TwoSpheres(45, 18, organCentre);
        TetMesh lattice = VoxelTetMesher.Build(body, new MeshingOptions { CellMm = 6, SmoothingIterations = 0, SnapToSurfaces = false });
        TetMesh mesh = VoxelTetMesher.Build(body, new MeshingOptions { CellMm = 6 });
        double before = RadialRms(lattice, organCentre, 18, skin: false), after = RadialRms(mesh, organCentre, 18, skin: false);
        MeshQuality q = mesh.MeasureQuality();
        output.WriteLine($"organ interface radial RMS: lattice {before:0.00} mm, snapped {after:0.00} mm; {mesh.Conformity}; {q}");
        Assert.True(after < 1.0, $"interface RMS {after:0.00} mm");
        Assert.True(after < 0.4 * before);
        Assert.True(mesh.Conformity.InterfaceOnSurface >= 0.7 * mesh.Conformity.InterfaceNodes, mesh.Conformity.ToString());
        Assert.True(q.WithinLimits, q.ToString());

        // The organ's tets hold its volume (the staircase's is off by the cell size).
        double organMm3 = 0;
        for (int t = 0; t < mesh.TetCount; t++)
        {
            organMm3 += mesh.TetTissue[t] == 1 ? mesh.TetVolumeMm3(t) : 0;
        }

        Assert.InRange(organMm3 / (4.0 / 3 * Math.PI * 18 * 18 * 18), 0.95, 1.05);
    }

    /// <summary>A body sphere (label 1) of <paramref name="bodyMm"/> at the origin with an organ sphere (label 2) inside, 1 mm voxels.</summary>
    private static LabelVolume TwoSpheres(double bodyMm, double organMm, Vec3 organCentre)
    {
        int n = (int)Math.Ceiling(2 * bodyMm) + 4;
        GridGeometry g = GridGeometry.Centered(new Vec3(n, n, n), 1, Vec3.Zero);
        var labels = new byte[g.VoxelCount];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    Vec3 p = g.IndexToLps(i, j, k);
                    labels[g.Index(i, j, k)] = (p - organCentre).Length <= organMm ? (byte)2 : p.Length <= bodyMm ? (byte)1 : (byte)0;
                }
            }
        }

        return new LabelVolume(g, labels);
    }

    /// <summary>RMS of |distance to centre| − radius over the skin nodes, or over the interior nodes shared by both tissues.</summary>
    private static double RadialRms(TetMesh mesh, Vec3 centre, double radiusMm, bool skin)
    {
        var tissues = new int[mesh.NodeCount];
        for (int t = 0; t < mesh.TetCount; t++)
        {
            for (int c = 0; c < 4; c++)
            {
                tissues[mesh.Tets[4 * t + c]] |= 1 << mesh.TetTissue[t];
            }
        }

        double sum = 0;
        int count = 0;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            bool take = skin ? mesh.IsBoundaryNode[v] : !mesh.IsBoundaryNode[v] && tissues[v] == 3;
            if (take)
            {
                double e = (mesh.NodesLps[v] - centre).Length - radiusMm;
                sum += e * e;
                count++;
            }
        }

        return Math.Sqrt(sum / count);
    }
}
