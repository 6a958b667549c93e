using MeTAI.Core.Geometry;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Search;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Tests.Avatar;

/// <summary>
/// The avatar in every patient position: the same liver-needle body (its organs on the patient's right, in LPS) lying
/// supine, prone or on a side. The couch holds the skin on the side gravity points to, the body sags that way under
/// gravity, and the search refuses a gravity that does not point at the couch.
/// </summary>
public class AvatarPositionTests
{
    private static readonly Lazy<IReadOnlyList<VoxelMask>> Masks = new(() => [.. AvatarBuilderTests.Liver.Value.Structures.Select(s => s.Mask)]);

    public static TheoryData<PatientPosition> Positions => [.. PatientPositions.All];

    [Theory]
    [MemberData(nameof(Positions))]
    public void FromMasks_EveryPosition_CouchHoldsTheSideGravityPointsTo(PatientPosition position)
    {
        PatientAvatar avatar = Build(position);
        Vec3 down = position.GravityLps();
        Assert.Equal(down, avatar.DownLps);
        TetMesh mesh = avatar.Mesh;
        double lowest = double.NegativeInfinity, highest = double.NegativeInfinity;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            if (mesh.IsBoundaryNode[v])
            {
                lowest = Math.Max(lowest, Vec3.Dot(mesh.NodesLps[v], down));
                highest = Math.Max(highest, -Vec3.Dot(mesh.NodesLps[v], down));
            }
        }

        Assert.True(avatar.FixedCounts.Couch > 0, position.Code());
        int upperFixed = 0;
        for (int v = 0; v < mesh.NodeCount; v++)
        {
            Vec3 p = mesh.NodesLps[v];
            if (avatar.FixedNodes[v] && mesh.IsBoundaryNode[v] && Math.Abs(p.Z) < 90 && !Inside(avatar, "Ribs", p))
            {
                // Fixed skin away from the cut planes and the ribs lies on the couch.
                Assert.True(Vec3.Dot(p, down) >= lowest - avatar.Config.CouchBandMm - 1e-6, $"{position.Code()}: node {v} at {p}");
            }

            upperFixed += avatar.FixedNodes[v] && -Vec3.Dot(p, down) > highest - 10 && Math.Abs(p.Z) < 90 && !Inside(avatar, "Ribs", p) ? 1 : 0;
        }

        Assert.Equal(0, upperFixed);
    }

    [Theory]
    [InlineData(PatientPosition.HeadFirstSupine)]
    [InlineData(PatientPosition.HeadFirstProne)]
    [InlineData(PatientPosition.FeetFirstDecubitusRight)]
    [InlineData(PatientPosition.HeadFirstDecubitusLeft)]
    public void Gravity_EveryPosition_TheBodySagsTowardTheCouch(PatientPosition position)
    {
        PatientAvatar avatar = Build(position);
        SoftBodyModel model = SoftBodyModel.Create(avatar);
        using var solver = new XpbdSolver(model, new XpbdSettings { GravityLps = XpbdSettings.GravityFor(position), Threads = 1, DampingPerSecond = 20 });
        for (int n = 0; n < 300; n++)
        {
            solver.Step();
        }

        Vec3 sum = Vec3.Zero;
        int free = 0;
        for (int v = 0; v < model.NodeCount; v++)
        {
            if (!model.FixedNodes[v])
            {
                sum += solver.State.DisplacementMm(v);
                free++;
            }
        }

        Vec3 mean = sum / free;
        Vec3 down = position.GravityLps();
        Assert.True(Vec3.Dot(mean, down) > 0.9 * mean.Length, $"{position.Code()}: mean displacement {mean} (solver axes = LPS), gravity {down}");
    }

    [Fact]
    public void Search_GravityNotTowardTheCouch_IsRefused()
    {
        PatientAvatar prone = Build(PatientPosition.HeadFirstProne);
        var ex = Assert.Throws<ArgumentException>(() => TrajectorySearch.Run(prone, "Tumor", ["Vessel"], new SearchSettings { Candidates = 1 }, new XpbdSettings(), new NeedleSettings(), new InsertionSettings()));
        Assert.StartsWith("Gravity (0, 9.81, 0) (LPS, m/s²) does not point toward the couch", ex.Message, StringComparison.Ordinal);
        Assert.Contains("HFP (head first-prone)", ex.Message, StringComparison.Ordinal);
    }

    private static PatientAvatar Build(PatientPosition position) =>
        AvatarBuilder.FromMasks("liver-needle", Masks.Value, AvatarBuilderTests.Liver.Value.LandmarksLps, AvatarBuilderTests.Config.Value, position, 20);

    private static bool Inside(PatientAvatar avatar, string roi, Vec3 p)
    {
        VoxelMask m = avatar.Structure(roi);
        return m.Geometry.TryNearestVoxel(p, out int i, out int j, out int k) && (m[i, j, k] || NearMask(m, i, j, k));
    }

    private static bool NearMask(VoxelMask m, int i, int j, int k)
    {
        GridGeometry g = m.Geometry;
        int r = (int)Math.Ceiling(20 / g.SpacingMm.X);
        for (int dk = -r; dk <= r; dk++)
        {
            for (int dj = -r; dj <= r; dj++)
            {
                for (int di = -r; di <= r; di++)
                {
                    if (g.Contains(i + di, j + dj, k + dk) && m[i + di, j + dj, k + dk])
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
