using System.Runtime.Intrinsics;
using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Rehearsal.Tests.Solver;

public class XpbdSolverTests
{
    private static SoftBodyModel Block(int partitions = 2) =>
        TestBodies.NeedleBlock(TestBodies.Tissue(youngsKPa: 20, poisson: 0.45, punctureN: 1.5, cuttingN: 0.3, frictionNPerMm: 0.01), partitions);

    private static float[] Simulate(SoftBodyModel model, XpbdSettings settings, int steps, bool withNeedle)
    {
        using var solver = new XpbdSolver(model, settings);
        var needle = new Needle(model, new NeedleSettings());
        needle.Follow(TestBodies.DownInto(40, 50));
        var constraints = new NeedleConstraints(needle);
        for (int s = 0; s < steps; s++)
        {
            if (withNeedle)
            {
                solver.Step(ref constraints);
            }
            else
            {
                solver.Step();
            }
        }

        return (float[])solver.State.Positions.Clone();
    }

    [Fact]
    public void Simd_MatchesScalar()
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return; // Nothing to compare: both settings run the scalar kernel here.
        }

        SoftBodyModel model = Block();
        var settings = new XpbdSettings { GravityLps = new Vec3(3, -2, -9.81), Iterations = 2 };
        float[] simd = Simulate(model, settings with { UseSimd = true }, 400, withNeedle: true);
        float[] scalar = Simulate(model, settings with { UseSimd = false }, 400, withNeedle: true);
        double worst = 0;
        for (int i = 0; i < simd.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(simd[i] - scalar[i]));
        }

        // Same expressions in the same order and no fused multiply-add: expected to agree bit for bit.
        Assert.True(worst <= 1e-9, $"SIMD and scalar differ by {worst * 1000} mm");
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 1)]
    [InlineData(false, 3)]
    public void Results_SameForOneTwoAndThreeThreads_AndRepeatable(bool withNeedle, int iterations)
    {
        SoftBodyModel model = Block(partitions: 3);
        var settings = new XpbdSettings { GravityLps = new Vec3(2, 1, -9.81), Iterations = iterations };
        float[] one = Simulate(model, settings with { Threads = 1 }, 600, withNeedle);
        float[] two = Simulate(model, settings with { Threads = 2 }, 600, withNeedle);
        float[] three = Simulate(model, settings with { Threads = 3 }, 600, withNeedle);
        float[] again = Simulate(model, settings with { Threads = 2 }, 600, withNeedle);
        Assert.Equal(one, two);
        Assert.Equal(one, three);
        Assert.Equal(two, again);
    }

    [Fact]
    public void Layout_ColoursShareNoNodeAndRegionsAreIndependent()
    {
        SoftBodyModel model = Block(partitions: 3);
        int[] tets = model.Mesh.Tets;
        var regionOfNode = new int[model.NodeCount];
        Array.Fill(regionOfNode, -1);
        for (int r = 0; r < model.Partitions; r++)
        {
            CheckColours(model, model.RegionColourStarts[r], tets);
            foreach (int slot in Slots(model.RegionColourStarts[r]))
            {
                int t = model.SlotTet[slot];
                for (int c = 0; t >= 0 && c < 4; c++)
                {
                    int v = tets[4 * t + c];
                    Assert.True(regionOfNode[v] == -1 || regionOfNode[v] == r, $"node {v} is in regions {regionOfNode[v]} and {r}");
                    regionOfNode[v] = r;
                }
            }
        }

        CheckColours(model, model.BoundaryColourStarts, tets);
        int active = 0;
        foreach (int t in model.SlotTet)
        {
            active += t >= 0 ? 1 : 0;
        }

        Assert.Equal(model.ActiveTetCount, active);
        Assert.True(model.BoundaryTetCount > 0 && model.BoundaryTetCount < model.ActiveTetCount / 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Step_WithNeedleInTissue_AllocatesNothing(int threads)
    {
        SoftBodyModel model = Block();
        using var solver = new XpbdSolver(model, new XpbdSettings { Threads = threads, GravityLps = new Vec3(0, 0, -9.81) });
        var needle = new Needle(model, new NeedleSettings());
        needle.Follow(TestBodies.DownInto(50, 50));
        var constraints = new NeedleConstraints(needle);
        for (int s = 0; s < 700; s++)
        {
            solver.Step(ref constraints);
        }

        Assert.Equal(NeedlePhase.Inside, needle.Phase);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int s = 0; s < 300; s++)
        {
            solver.Step(ref constraints);
            _ = needle.Wrench;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(needle.AnchorCount > 1);
    }

    private static IEnumerable<int> Slots(int[] starts)
    {
        for (int s = starts[0]; s < starts[^1]; s++)
        {
            yield return s;
        }
    }

    private static void CheckColours(SoftBodyModel model, int[] starts, int[] tets)
    {
        for (int c = 0; c + 1 < starts.Length; c++)
        {
            Assert.Equal(0, starts[c] % 8);
            var seen = new HashSet<int>();
            for (int s = starts[c]; s < starts[c + 1]; s++)
            {
                int t = model.SlotTet[s];
                for (int k = 0; t >= 0 && k < 4; k++)
                {
                    Assert.True(seen.Add(tets[4 * t + k]), $"colour {c} uses node {tets[4 * t + k]} twice");
                }
            }
        }
    }
}
