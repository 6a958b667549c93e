using MeTAI.Core.Geometry;
using MeTAI.Core.Phantoms;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Tests.Avatar;

public class AvatarBuilderTests
{
    internal static readonly Lazy<Phantom> Liver = new(() => PhantomLibrary.Build("liver-needle", 2));
    internal static readonly Lazy<AvatarConfig> Config = new(() => AvatarConfigLoader.Load(Repo.LiverConfigPath));
    internal static readonly Lazy<PatientAvatar> Avatar20 = new(() => AvatarBuilder.FromPhantom(Liver.Value, Config.Value, 20));

    [Fact]
    public void FromPhantom_LiverNeedle_OrgansSupportsAndVolume()
    {
        PatientAvatar avatar = Avatar20.Value;
        TetMesh mesh = avatar.Mesh;
        Assert.InRange(mesh.TetCount, 5000, 9000);
        Assert.Contains((byte)Config.Value.TissueIndex("liver"), mesh.TetTissue);
        Assert.Contains((byte)Config.Value.TissueIndex("body-wall"), mesh.TetTissue);
        Assert.Empty(avatar.MissingStructures);

        // Supine on the couch (+y), cut at the image's z ends, ribs hold nodes.
        Assert.True(avatar.FixedCounts.Couch > 0 && avatar.FixedCounts.Truncation > 0 && avatar.FixedCounts.Bone > 0);
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            if (avatar.FixedNodes[v] && mesh.IsBoundaryNode[v] && Math.Abs(mesh.NodesLps[v].Z) < 90)
            {
                // Fixed skin away from the cut planes is on the couch side or in a rib.
                Assert.True(mesh.NodesLps[v].Y > 80 || Inside(avatar, "Ribs", mesh.NodesLps[v]), $"node {v} at {mesh.NodesLps[v]}");
            }
        }

        double bodyMm3 = avatar.Body.VolumeCc * 1000;
        Assert.InRange(mesh.TotalVolumeMm3() / bodyMm3, 0.95, 1.05);
    }

    [Fact]
    public void EmbeddedPoints_VesselBoundary_ReproduceRestPositions()
    {
        PatientAvatar avatar = Avatar20.Value;
        EmbeddedPoints vessel = EmbeddedPoints.FromMaskSurface(avatar.Mesh, avatar.Structure("Vessel"), 2);
        Assert.InRange(vessel.Count, 100, 5000);
        var state = new SoftBodyState(SoftBodyModel.Create(avatar));
        for (int i = 0; i < vessel.Count; i++)
        {
            float sum = vessel.Weights[4 * i] + vessel.Weights[4 * i + 1] + vessel.Weights[4 * i + 2] + vessel.Weights[4 * i + 3];
            Assert.Equal(1f, sum, 4);
            Assert.True((state.EmbeddedLps(vessel, i) - vessel.RestLps[i]).Length < 1e-3, "embedded point moved at rest");
        }
    }

    [Fact]
    public void Structure_Unknown_ListsTheRois()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => Avatar20.Value.Structure("Spleen"));
        Assert.Contains("Vessel", ex.Message);
    }

    private static bool Inside(PatientAvatar avatar, string roi, Vec3 p) =>
        avatar.Structure(roi).Geometry.TryNearestVoxel(p, out int i, out int j, out int k) && avatar.Structure(roi)[i, j, k];
}
