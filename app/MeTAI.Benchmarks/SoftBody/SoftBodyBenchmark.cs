using System.Diagnostics;
using MeTAI.Core.Phantoms;
using MeTAI.Rehearsal.Avatar;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Benchmarks.SoftBody;

/// <summary>One benchmark row: a mesh, the settings, and the best of several timed runs.</summary>
/// <param name="RequestedTets">Tets asked for.</param>
/// <param name="Tets">Tets of the avatar mesh.</param>
/// <param name="ActiveTets">Tets the solver projects (bone-only tets are skipped).</param>
/// <param name="Nodes">Nodes.</param>
/// <param name="Colours">Colours (regions' interiors and boundary).</param>
/// <param name="CellMm">Lattice cell edge that gave the mesh, mm.</param>
/// <param name="Substeps">Substeps per 1 ms step.</param>
/// <param name="Iterations">Constraint passes per substep.</param>
/// <param name="Threads">Worker threads used.</param>
/// <param name="Simd">Whether the Vector256 kernel ran.</param>
/// <param name="StepsPerSecond">Best run, steps per wall-clock second.</param>
/// <param name="Runs">Every run's steps per second.</param>
public sealed record SoftBodyBenchmarkResult(
    int RequestedTets, int Tets, int ActiveTets, int Nodes, int Colours, double CellMm, int Substeps, int Iterations, int Threads,
    bool Simd, double StepsPerSecond, IReadOnlyList<double> Runs)
{
    /// <summary>Milliseconds of wall-clock time per 1 ms step (best run).</summary>
    public double MsPerStep => 1000.0 / StepsPerSecond;

    /// <summary>Tet projections per second, millions (active tets × substeps × iterations × steps/s).</summary>
    public double MegaTetProjectionsPerSecond => ActiveTets * (double)Substeps * Iterations * StepsPerSecond / 1e6;

    /// <summary>True when a step takes at most its simulated millisecond.</summary>
    public bool RealTimeAt1kHz => StepsPerSecond >= 1000;
}

/// <summary>
/// Times <see cref="XpbdSolver.Step()"/> on the liver-needle avatar meshed to a requested number of tets (gravity,
/// couch and bone supports; no instrument). Warm-up, then repeated timed runs; the best run counts, since the machine
/// may be shared.
/// </summary>
public static class SoftBodyBenchmark
{
    /// <summary>Meshes the liver-needle phantom with the lattice cell that gives about <paramref name="targetTets"/> tets.</summary>
    public static PatientAvatar LiverNeedleAvatar(int targetTets, AvatarConfig config, Phantom phantom)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetTets, 100);

        // Five tets per cell: cell ≈ (5·V/N)^(1/3); then correct with the measured count (tets ∝ cell⁻³).
        double volumeMm3 = phantom.External.VolumeCc * 1000;
        double cell = Math.Cbrt(5 * volumeMm3 / targetTets);
        PatientAvatar avatar = AvatarBuilder.FromPhantom(phantom, config, cell);
        for (int pass = 0; pass < 3 && Math.Abs(avatar.Mesh.TetCount - targetTets) > 0.03 * targetTets; pass++)
        {
            cell *= Math.Cbrt((double)avatar.Mesh.TetCount / targetTets);
            avatar = AvatarBuilder.FromPhantom(phantom, config, cell);
        }

        return avatar;
    }

    /// <summary>Times the solver on <paramref name="model"/>.</summary>
    /// <param name="model">The soft body.</param>
    /// <param name="settings">Solver settings (threads, substeps, iterations, SIMD).</param>
    /// <param name="requestedTets">For the report.</param>
    /// <param name="cellMm">For the report.</param>
    /// <param name="secondsPerRun">Wall-clock length of each timed run.</param>
    /// <param name="repeats">Timed runs; the best counts.</param>
    public static SoftBodyBenchmarkResult Run(SoftBodyModel model, XpbdSettings settings, int requestedTets, double cellMm, double secondsPerRun = 1, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        using var solver = new XpbdSolver(model, settings);
        for (int s = 0; s < 200; s++)
        {
            solver.Step();
        }

        var runs = new List<double>();
        for (int r = 0; r < Math.Max(1, repeats); r++)
        {
            var clock = Stopwatch.StartNew();
            long steps = 0;
            do
            {
                for (int s = 0; s < 50; s++)
                {
                    solver.Step();
                }

                steps += 50;
            }
            while (clock.Elapsed.TotalSeconds < secondsPerRun);
            runs.Add(steps / clock.Elapsed.TotalSeconds);
        }

        double best = 0;
        foreach (double r in runs)
        {
            best = Math.Max(best, r);
        }

        return new SoftBodyBenchmarkResult(requestedTets, model.Mesh.TetCount, model.ActiveTetCount, model.NodeCount, model.ColourCount, cellMm,
            settings.Substeps, settings.Iterations, solver.Workers, solver.UsesSimd, best, runs);
    }
}
