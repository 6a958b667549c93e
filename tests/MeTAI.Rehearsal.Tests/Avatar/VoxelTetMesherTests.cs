using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Tests.Avatar;

public class VoxelTetMesherTests
{
    [Fact]
    public void Build_Box_FiveTetsPerCellExactVolumeConforming()
    {
        TetMesh mesh = TestBodies.Box(new Vec3(40, 30, 20), 10);
        Assert.Equal(5 * 4 * 3 * 2, mesh.TetCount);
        Assert.Equal(5 * 4 * 3, mesh.NodeCount);
        for (int t = 0; t < mesh.TetCount; t++)
        {
            Assert.True(mesh.TetVolumeMm3(t) > 0, $"tet {t} is not positively oriented");
        }

        Assert.Equal(40 * 30 * 20, mesh.TotalVolumeMm3(), 6);

        // Conforming: each box face of n×m cells is 2·n·m triangles; nothing else is boundary.
        Assert.Equal(2 * 2 * (4 * 3 + 4 * 2 + 3 * 2), mesh.BoundaryFaceCount);
        for (int t = 0; t < mesh.TetCount; t++)
        {
            for (int f = 0; f < 4; f++)
            {
                int n = mesh.Neighbors[4 * t + f];
                Assert.True(n < 0 || mesh.Neighbors.AsSpan(4 * n, 4).Contains(t), "adjacency is not symmetric");
            }
        }
    }

    [Fact]
    public void Build_BoundaryFaces_PointOutward()
    {
        TetMesh mesh = TestBodies.Box(new Vec3(30, 30, 30), 10);
        var centre = new Vec3(15, 15, 15);
        for (int b = 0; b < mesh.BoundaryFaceCount; b++)
        {
            Vec3 a = mesh.NodesLps[mesh.BoundaryFaces[3 * b]], c1 = mesh.NodesLps[mesh.BoundaryFaces[3 * b + 1]], c2 = mesh.NodesLps[mesh.BoundaryFaces[3 * b + 2]];
            Vec3 normal = Vec3.Cross(c1 - a, c2 - a);
            Assert.True(Vec3.Dot(normal, (a + c1 + c2) / 3 - centre) > 0);
        }
    }

    [Fact]
    public void Build_HalvingTheCell_MultipliesTetsByAboutEight()
    {
        LabelVolume sphere = Sphere(radiusMm: 40, voxelMm: 1);
        int coarse = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 10 }).TetCount;
        int fine = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 5 }).TetCount;
        Assert.InRange((double)fine / coarse, 6.5, 9.5);
    }

    [Fact]
    public void Build_SmoothingSphere_BoundaryCloserToTheTrueSurfaceVolumeKeptNoTetFlattened()
    {
        LabelVolume sphere = Sphere(radiusMm: 40, voxelMm: 1);
        TetMesh staircase = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 8, SmoothingIterations = 0, SnapToSurfaces = false });
        TetMesh smooth = VoxelTetMesher.Build(sphere, new MeshingOptions { CellMm = 8, SmoothingIterations = 10, SnapToSurfaces = false });
        double errStair = RadialRmsError(staircase, 40), errSmooth = RadialRmsError(smooth, 40);
        Assert.True(errSmooth < 0.6 * errStair, $"smoothing did not help: {errSmooth:0.00} vs {errStair:0.00} mm");
        double exact = 4.0 / 3 * Math.PI * 40 * 40 * 40;
        Assert.InRange(smooth.TotalVolumeMm3() / exact, 0.98, 1.02);
        for (int t = 0; t < smooth.TetCount; t++)
        {
            Assert.True(smooth.TetVolumeMm3(t) > 0.19 * staircase.TetVolumeMm3(t), $"tet {t} flattened by smoothing");
        }
    }

    [Fact]
    public void Build_StrictLabel_NeedsAClearMajority()
    {
        // A 4 mm slab of label 2 inside label 1: with 10 mm cells no tet is mostly slab, so none takes a strict label 2.
        var g = new GridGeometry(40, 40, 40, new Vec3(1, 1, 1), new Vec3(0.5, 0.5, 0.5));
        var labels = new byte[g.VoxelCount];
        for (int k = 0; k < 40; k++)
        {
            for (int j = 0; j < 40; j++)
            {
                for (int i = 0; i < 40; i++)
                {
                    labels[g.Index(i, j, k)] = (byte)(k is >= 18 and < 22 ? 2 : 1);
                }
            }
        }

        TetMesh loose = VoxelTetMesher.Build(new LabelVolume(g, labels), new MeshingOptions { CellMm = 10, SmoothingIterations = 0, SnapToSurfaces = false });
        TetMesh strict = VoxelTetMesher.Build(new LabelVolume(g, labels), new MeshingOptions { CellMm = 10, SmoothingIterations = 0, SnapToSurfaces = false, StrictLabels = [2] });
        Assert.Contains((byte)1, loose.TetTissue);
        Assert.DoesNotContain((byte)1, strict.TetTissue);
    }

    [Fact]
    public void TryLocate_FindsTheTetAndBarycentricReproducesThePoint()
    {
        TetMesh mesh = TestBodies.Box(new Vec3(30, 30, 30), 10);
        var p = new Vec3(12.3, 7.7, 21.1);
        Assert.True(mesh.TryLocate(p, out int tet, out var b));
        Vec3 back = mesh.NodesLps[mesh.Tets[4 * tet]] * b.B0 + mesh.NodesLps[mesh.Tets[4 * tet + 1]] * b.B1
            + mesh.NodesLps[mesh.Tets[4 * tet + 2]] * b.B2 + mesh.NodesLps[mesh.Tets[4 * tet + 3]] * b.B3;
        Assert.True((back - p).Length < 1e-9);
        Assert.False(mesh.TryLocate(new Vec3(-20, 0, 0), out _, out _));
    }

    private static LabelVolume Sphere(double radiusMm, double voxelMm)
    {
        int n = (int)Math.Ceiling(2 * radiusMm / voxelMm) + 4;
        GridGeometry g = GridGeometry.Centered(new Vec3(n * voxelMm, n * voxelMm, n * voxelMm), voxelMm, Vec3.Zero);
        var labels = new byte[g.VoxelCount];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    labels[g.Index(i, j, k)] = g.IndexToLps(i, j, k).Length <= radiusMm ? (byte)1 : (byte)0;
                }
            }
        }

        return new LabelVolume(g, labels);
    }

    private static double RadialRmsError(TetMesh mesh, double radiusMm)
    {
        double sum = 0;
        int count = 0;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            if (mesh.IsBoundaryNode[v])
            {
                double e = mesh.NodesLps[v].Length - radiusMm;
                sum += e * e;
                count++;
            }
        }

        return Math.Sqrt(sum / count);
    }
}
