using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Tests;

/// <summary>Simple bodies for the physics tests: boxes meshed by the production mesher.</summary>
internal static class TestBodies
{
    public static TissueParameters Tissue(double youngsKPa, double poisson, double densityKgM3 = 1000, double punctureN = 3,
        double cuttingN = 0, double frictionNPerMm = 0, string name = "test", bool isFixed = false) => new()
        {
            Name = name,
            YoungsModulusKPa = youngsKPa,
            PoissonRatio = poisson,
            DensityKgM3 = densityKgM3,
            PunctureForceN = punctureN,
            CuttingForceN = cuttingN,
            FrictionNPerMm = frictionNPerMm,
            Fixed = isFixed,
            Sources = new Dictionary<string, string> { ["all"] = "test value" },
        };

    /// <summary>A box spanning (0,0,0)…size (mm, LPS), meshed with cubic cells; no smoothing (flat faces).</summary>
    public static TetMesh Box(Vec3 sizeMm, double cellMm, double voxelMm = 1)
    {
        var g = new GridGeometry(
            (int)Math.Round(sizeMm.X / voxelMm), (int)Math.Round(sizeMm.Y / voxelMm), (int)Math.Round(sizeMm.Z / voxelMm),
            new Vec3(voxelMm, voxelMm, voxelMm), new Vec3(voxelMm / 2, voxelMm / 2, voxelMm / 2));
        var labels = new byte[g.VoxelCount];
        Array.Fill(labels, (byte)1);
        return VoxelTetMesher.Build(new LabelVolume(g, labels), new MeshingOptions { CellMm = cellMm, SmoothingIterations = 0, SnapToSurfaces = false });
    }

    /// <summary>
    /// A 100 × 80 × 60 mm block of 10 mm cells (2400 tets) on a fixed base, for needle tests: at this resolution a point
    /// load dimples the surface a few mm before puncture, as on the avatar.
    /// </summary>
    public static SoftBodyModel NeedleBlock(TissueParameters tissue, int partitions = 2)
    {
        TetMesh mesh = Box(new Vec3(100, 80, 60), 10);
        return SoftBodyModel.Create(mesh, [tissue], NodesAt(mesh, 2, 0), partitions);
    }

    /// <summary>Straight down into <see cref="NeedleBlock"/> from 20 mm above its top, slightly off the lattice.</summary>
    public static Trajectory DownInto(double depthMm, double speedMmPerS, double x = 50.3, double y = 39.6) =>
        Trajectory.Straight(new Vec3(x, y, 80), new Vec3(x - 0.7, y + 0.9, 60 - depthMm), speedMmPerS, 5);

    /// <summary>Nodes whose coordinate <paramref name="axis"/> is within 1 µm of <paramref name="valueMm"/>.</summary>
    public static bool[] NodesAt(TetMesh mesh, int axis, double valueMm)
    {
        var result = new bool[mesh.NodeCount];
        for (int n = 0; n < mesh.NodeCount; n++)
        {
            result[n] = Math.Abs(mesh.NodesLps[n][axis] - valueMm) < 1e-3;
        }

        return result;
    }
}

/// <summary>Finds repository files from the test binaries.</summary>
internal static class Repo
{
    public static string Root
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "MeTAI.Intervention.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("Repository root not found.");
        }
    }

    public static string LiverConfigPath => Path.Combine(Root, "configs", "avatars", "liver-needle.json");
}
