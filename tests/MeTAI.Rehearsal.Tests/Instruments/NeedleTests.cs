using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;
using MeTAI.Core.Voxels;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Tests.Instruments;

public class NeedleTests
{
    private static readonly XpbdSettings Down = new() { GravityLps = new Vec3(0, 0, -9.81), DampingPerSecond = 20 };

    [Theory]
    [InlineData(10, 50.0, 40.0)] // onto a lattice vertex
    [InlineData(50, 50.0, 45.0)] // onto an edge
    [InlineData(50, 53.3, 46.6)] // onto a face
    [InlineData(200, 53.3, 46.6)]
    [InlineData(200, 50.0, 40.0)]
    public void Needle_UnpuncturableSurface_NeverTunnels(double speedMmPerS, double x, double y)
    {
        SoftBodyModel model = TestBodies.NeedleBlock(TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: 1e6));
        using var solver = new XpbdSolver(model, Down);
        var needle = new Needle(model, new NeedleSettings());
        Trajectory path = Trajectory.Straight(new Vec3(x, y, 70), new Vec3(x, y, 45), speedMmPerS, 5);
        needle.Follow(path);
        var constraints = new NeedleConstraints(needle);
        int[] near = TetsNear(model.Mesh, new Vec3(x, y, 60), 25);
        int steps = (int)(path.DurationSeconds * 1000) + 100;
        bool touched = false;
        for (int s = 0; s < steps; s++)
        {
            solver.Step(ref constraints);
            Assert.Equal(NeedlePhase.Outside, needle.Phase);
            Assert.Empty(needle.Punctures.ToArray());

            // A point just behind the tip is never inside the tissue.
            Vec3 probe = needle.TipLps - needle.Direction * 0.05;
            foreach (int t in near)
            {
                Assert.False(Inside(solver.State, t, probe), $"step {s}: tip passed into tet {t} at {needle.TipLps}");
            }

            touched |= needle.InContact;
            if (needle.TipLps.Z < 59)
            {
                Assert.True(needle.InContact, $"step {s}: tip at {needle.TipLps} below the rest surface but not in contact");
            }
        }

        Assert.True(touched);
        Assert.True(needle.Wrench.AxialForceN > 1, "15 mm of indentation should push back");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(3.0)]
    public void Needle_Puncture_HappensAtTheConfiguredForceWithin10Percent(double thresholdN)
    {
        SoftBodyModel model = TestBodies.NeedleBlock(TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: thresholdN, cuttingN: 0.2, frictionNPerMm: 0.005));
        using var solver = new XpbdSolver(model, Down);
        var needle = new Needle(model, new NeedleSettings());
        needle.Follow(TestBodies.DownInto(45, 10));
        var constraints = new NeedleConstraints(needle);
        double peakBefore = 0, dimpleMm = 0, afterPuncture = double.NaN;
        for (int s = 0; s < 6500 && double.IsNaN(afterPuncture); s++)
        {
            solver.Step(ref constraints);
            if (needle.Punctures.Length == 0)
            {
                peakBefore = Math.Max(peakBefore, needle.Wrench.AxialForceN);
                dimpleMm = 60 - needle.TipLps.Z;
            }
            else if (solver.State.TimeSeconds >= needle.Punctures[0].TimeSeconds + 0.05)
            {
                afterPuncture = needle.Wrench.AxialForceN;
            }
        }

        Assert.Single(needle.Punctures.ToArray());
        PunctureEvent e = needle.Punctures[0];
        Assert.InRange(e.AxialForceN, 0.9 * thresholdN, 1.1 * thresholdN);
        Assert.InRange(peakBefore, 0.9 * thresholdN, 1.1 * thresholdN);
        Assert.True(dimpleMm > 1, $"the surface gave way after only {dimpleMm:0.00} mm");
        Assert.True(afterPuncture < 0.6 * thresholdN, $"force did not drop after the puncture: {afterPuncture:0.00} N");
    }

    [Fact]
    public void Needle_TwoLayers_PunctureEachAtItsThresholdThenFrictionGrows()
    {
        // Top 30 mm: tissue 0 (skin-like, 2 N); bottom 30 mm: tissue 1 with a capsule (1 N).
        SoftBodyModel model = LayeredBlock(
            TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: 2, cuttingN: 0.2, frictionNPerMm: 0.02, name: "wall"),
            TestBodies.Tissue(youngsKPa: 10, poisson: 0.45, punctureN: 1, cuttingN: 0.1, frictionNPerMm: 0.02, name: "organ"));
        using var solver = new XpbdSolver(model, Down);
        var needle = new Needle(model, new NeedleSettings());
        Trajectory path = TestBodies.DownInto(55, 20);
        needle.Follow(path);
        var constraints = new NeedleConstraints(needle);
        double forceAt15 = double.NaN;
        for (int s = 0; s < (int)(path.DurationSeconds * 1000); s++)
        {
            solver.Step(ref constraints);
            if (needle.Punctures.Length == 1)
            {
                Assert.Equal(0, model.Mesh.TetTissue[needle.CurrentTet]);
            }

            if (double.IsNaN(forceAt15) && needle.InsertedDepthMm > 15 && !needle.InContact)
            {
                forceAt15 = needle.Wrench.AxialForceN;
            }
        }

        PunctureEvent[] events = needle.Punctures.ToArray();
        Assert.Equal(2, events.Length);
        Assert.Equal([0, 1], events.Select(e => e.Tissue));
        Assert.InRange(events[0].AxialForceN, 1.8, 2.2);
        Assert.InRange(events[1].AxialForceN, 0.9, 1.1);
        Assert.True(events[1].PointLps.Z < 35, $"capsule punctured at {events[1].PointLps}");
        Assert.Equal(1, model.Mesh.TetTissue[needle.CurrentTet]);
        Assert.True(needle.Wrench.AxialForceN > forceAt15 + 0.2, $"friction should grow with depth: {forceAt15:0.00} → {needle.Wrench.AxialForceN:0.00} N");
        Assert.True(needle.AnchorCount >= 4);
    }

    [Fact]
    public void Needle_Wrench_ZeroInAirAxialInContactTorqueAboutHub()
    {
        SoftBodyModel model = TestBodies.NeedleBlock(TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: 50));
        using var solver = new XpbdSolver(model, Down);
        var needle = new Needle(model, new NeedleSettings { ShaftLengthMm = 150 });

        // Oblique insertion so the tissue also pushes sideways.
        Trajectory path = Trajectory.Straight(new Vec3(30, 40, 75), new Vec3(45, 40, 50), 20, 5);
        needle.Follow(path);
        var constraints = new NeedleConstraints(needle);
        solver.Step(ref constraints);
        Assert.Equal(default, needle.Wrench);
        for (int s = 0; s < (int)(path.DurationSeconds * 1000); s++)
        {
            solver.Step(ref constraints);
        }

        NeedleWrench w = needle.Wrench;
        Vec3 d = needle.Direction;
        Assert.True(w.AxialForceN > 0.5);
        Assert.Equal(-Vec3.Dot(w.ForceN, d), w.AxialForceN, 6);

        // The force acts at the tip, 150 mm ahead of the hub: τ = (tip − hub) × F = 0.15 m · d × F.
        Vec3 expected = Vec3.Cross(d * 0.150, w.ForceN);
        Assert.True((w.TorqueNm - expected).Length < 1e-3 * Math.Max(1, expected.Length) + 1e-4, $"torque {w.TorqueNm}, expected {expected}");
        Assert.True(Math.Abs(Vec3.Dot(w.TorqueNm, d)) < 1e-6, "no torque about the shaft axis");
    }

    [Fact]
    public void Needle_IntoBone_IsBlockedWithBoundedForce()
    {
        // Soft tissue over a fixed (bone) layer.
        SoftBodyModel model = LayeredBlock(
            TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: 1, name: "soft"),
            TestBodies.Tissue(youngsKPa: 1e6, poisson: 0.3, name: "bone", isFixed: true),
            fixBottomLayer: true);
        using var solver = new XpbdSolver(model, Down);
        var settings = new NeedleSettings();
        var needle = new Needle(model, settings);
        Trajectory path = TestBodies.DownInto(45, 20);
        needle.Follow(path);
        var constraints = new NeedleConstraints(needle);
        double peak = 0;
        for (int s = 0; s < (int)(path.DurationSeconds * 1000); s++)
        {
            solver.Step(ref constraints);
            peak = Math.Max(peak, needle.Wrench.TipContactN);
        }

        Assert.True(needle.BlockedByFixedTissue);
        Assert.Single(needle.Punctures.ToArray());
        Assert.InRange(peak, 0.5 * settings.FixedTissueForceLimitN, 1.01 * settings.FixedTissueForceLimitN);
        foreach (float v in solver.State.Positions)
        {
            Assert.True(float.IsFinite(v));
        }
    }

    [Fact]
    public void Needle_PulledBack_LeavesTheTissue()
    {
        SoftBodyModel model = TestBodies.NeedleBlock(TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: 1, frictionNPerMm: 0.01));
        using var solver = new XpbdSolver(model, Down);
        var needle = new Needle(model, new NeedleSettings());
        var top = new Vec3(50.3, 39.6, 80);
        var path = new Trajectory(
        [
            new TrajectorySample(0, top, -Vec3.UnitZ),
            new TrajectorySample(2, top - Vec3.UnitZ * 40, -Vec3.UnitZ),
            new TrajectorySample(4, top, -Vec3.UnitZ),
        ]);
        needle.Follow(path);
        var constraints = new NeedleConstraints(needle);
        int maxAnchors = 0;
        for (int s = 0; s < 4300; s++)
        {
            solver.Step(ref constraints);
            maxAnchors = Math.Max(maxAnchors, needle.AnchorCount);
        }

        Assert.True(maxAnchors >= 2);
        Assert.Equal(NeedlePhase.Outside, needle.Phase);
        Assert.Equal(0, needle.AnchorCount);
    }

    [Fact]
    public void Follow_StartInsideTheBody_Throws()
    {
        SoftBodyModel model = TestBodies.NeedleBlock(TestBodies.Tissue(youngsKPa: 20, poisson: 0.45));
        var needle = new Needle(model, new NeedleSettings());
        Assert.Throws<ArgumentException>(() => needle.Follow(Trajectory.Straight(new Vec3(50, 40, 30), new Vec3(50, 40, 10), 10, 5)));
    }

    private static SoftBodyModel LayeredBlock(TissueParameters upper, TissueParameters lower, bool fixBottomLayer = false)
    {
        var g = new GridGeometry(100, 80, 60, new Vec3(1, 1, 1), new Vec3(0.5, 0.5, 0.5));
        var labels = new byte[g.VoxelCount];
        for (int k = 0; k < g.SizeZ; k++)
        {
            for (int j = 0; j < g.SizeY; j++)
            {
                for (int i = 0; i < g.SizeX; i++)
                {
                    labels[g.Index(i, j, k)] = k < 30 ? (byte)2 : (byte)1;
                }
            }
        }

        TetMesh mesh = VoxelTetMesher.Build(new LabelVolume(g, labels), new MeshingOptions { CellMm = 10, SmoothingIterations = 0 });
        bool[] fixedNodes = TestBodies.NodesAt(mesh, 2, 0);
        for (int n = 0; fixBottomLayer && n < mesh.NodeCount; n++)
        {
            fixedNodes[n] |= mesh.NodesLps[n].Z <= 30 + 1e-6;
        }

        return SoftBodyModel.Create(mesh, [upper, lower], fixedNodes);
    }

    private static int[] TetsNear(TetMesh mesh, Vec3 pointLps, double radiusMm)
    {
        var list = new List<int>();
        for (int t = 0; t < mesh.TetCount; t++)
        {
            Vec3 c = (mesh.NodesLps[mesh.Tets[4 * t]] + mesh.NodesLps[mesh.Tets[4 * t + 1]] + mesh.NodesLps[mesh.Tets[4 * t + 2]] + mesh.NodesLps[mesh.Tets[4 * t + 3]]) / 4;
            if (Vec3.Distance(c, pointLps) <= radiusMm)
            {
                list.Add(t);
            }
        }

        return [.. list];
    }

    private static bool Inside(SoftBodyState state, int tet, Vec3 p)
    {
        int[] tets = state.Model.Mesh.Tets;
        Vec3 x0 = state.NodeLps(tets[4 * tet]), x1 = state.NodeLps(tets[4 * tet + 1]), x2 = state.NodeLps(tets[4 * tet + 2]), x3 = state.NodeLps(tets[4 * tet + 3]);
        double v = TetMesh.SignedVolume(x0, x1, x2, x3);
        double b0 = TetMesh.SignedVolume(p, x1, x2, x3) / v, b1 = TetMesh.SignedVolume(x0, p, x2, x3) / v;
        double b2 = TetMesh.SignedVolume(x0, x1, p, x3) / v, b3 = TetMesh.SignedVolume(x0, x1, x2, p) / v;
        const double eps = 1e-9;
        return b0 > eps && b1 > eps && b2 > eps && b3 > eps;
    }
}
