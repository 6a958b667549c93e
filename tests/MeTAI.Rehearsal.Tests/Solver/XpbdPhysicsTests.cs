using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Tests.Solver;

public class XpbdPhysicsTests
{
    [Fact]
    public void HangingColumn_StretchUnderGravity_MatchesLinearElasticityWithin15Percent()
    {
        // 20 × 20 × 100 mm column, top face fixed, gravity along the column. Linear elasticity (uniaxial stress):
        // the free end drops δ = ρ g L² / (2E) = 1000·9.81·0.1² / (2·20 kPa) = 2.45 mm (strain ≤ 4.9 %: small).
        TetMesh mesh = TestBodies.Box(new Vec3(20, 20, 100), 5);
        bool[] top = TestBodies.NodesAt(mesh, 2, 100);
        bool[] bottom = TestBodies.NodesAt(mesh, 2, 0);
        var model = SoftBodyModel.Create(mesh, [TestBodies.Tissue(youngsKPa: 20, poisson: 0.3)], top);
        using var solver = new XpbdSolver(model, new XpbdSettings { GravityLps = new Vec3(0, 0, -9.81), DampingPerSecond = 20 });
        for (int s = 0; s < 1500; s++)
        {
            solver.Step();
        }

        double drop = -MeanDisplacement(solver.State, bottom).Z;
        double expected = 1000 * 9.81 * 0.1 * 0.1 / (2 * 20e3) * 1000;
        Assert.InRange(drop, 0.85 * expected, 1.15 * expected);
    }

    [Fact]
    public void Block_UnderGravityAndCompression_KeepsVolumeWithin1Percent()
    {
        // Nearly incompressible tissue (ν = 0.49) on a fixed base, sagging under gravity, then squeezed 10 % by a plate.
        TetMesh mesh = TestBodies.Box(new Vec3(40, 40, 40), 5);
        bool[] top = TestBodies.NodesAt(mesh, 2, 40);
        bool[] bottom = TestBodies.NodesAt(mesh, 2, 0);
        var fixedNodes = new bool[mesh.NodeCount];
        for (int n = 0; n < fixedNodes.Length; n++)
        {
            fixedNodes[n] = top[n] || bottom[n];
        }

        var gravityOnly = SoftBodyModel.Create(mesh, [TestBodies.Tissue(youngsKPa: 10, poisson: 0.49)], bottom);
        using (var sag = new XpbdSolver(gravityOnly, new XpbdSettings { GravityLps = new Vec3(0, 0, -9.81), DampingPerSecond = 20 }))
        {
            double v0 = sag.State.VolumeMm3();
            for (int s = 0; s < 800; s++)
            {
                sag.Step();
                Assert.InRange(sag.State.VolumeMm3() / v0, 0.99, 1.01);
            }

            Assert.True(MeanDisplacement(sag.State, top).Z < -0.5, "the block did not sag");
        }

        var model = SoftBodyModel.Create(mesh, [TestBodies.Tissue(youngsKPa: 10, poisson: 0.49)], fixedNodes);
        using var solver = new XpbdSolver(model, new XpbdSettings { GravityLps = new Vec3(0, 0, -9.81), DampingPerSecond = 20 });
        double rest = solver.State.VolumeMm3();
        for (int s = 0; s < 1200; s++)
        {
            double f = Math.Min(1, s / 500.0);
            for (int n = 0; n < mesh.NodeCount; n++)
            {
                if (top[n])
                {
                    solver.State.SetNodeLps(n, mesh.NodesLps[n] - new Vec3(0, 0, 4 * f));
                }
            }

            solver.Step();
            Assert.InRange(solver.State.VolumeMm3() / rest, 0.99, 1.01);
        }

        // The sides bulge: the material went somewhere rather than vanishing.
        bool[] side = TestBodies.NodesAt(mesh, 0, 40);
        Assert.True(MeanDisplacement(solver.State, side).X > 0.3);
    }

    [Fact]
    public void Rest_WithoutGravity_StaysAtRest()
    {
        TetMesh mesh = TestBodies.Box(new Vec3(30, 30, 30), 5);
        var model = SoftBodyModel.Create(mesh, [TestBodies.Tissue(youngsKPa: 5, poisson: 0.45)], TestBodies.NodesAt(mesh, 2, 0));
        using var solver = new XpbdSolver(model, new XpbdSettings { GravityLps = Vec3.Zero });
        for (int s = 0; s < 500; s++)
        {
            solver.Step();
        }

        for (int n = 0; n < mesh.NodeCount; n++)
        {
            Assert.True(solver.State.DisplacementMm(n).Length < 1e-3, $"node {n} drifted {solver.State.DisplacementMm(n)} mm");
        }
    }

    internal static Vec3 MeanDisplacement(SoftBodyState state, bool[] nodes)
    {
        Vec3 sum = Vec3.Zero;
        int count = 0;
        for (int n = 0; n < nodes.Length; n++)
        {
            if (nodes[n])
            {
                sum += state.DisplacementMm(n);
                count++;
            }
        }

        return sum / count;
    }
}
