using System.Buffers.Binary;
using MeTAI.Core.Geometry;
using MeTAI.Core.IO;
using MeTAI.Rehearsal.Instruments;
using MeTAI.Rehearsal.Search;
using MeTAI.Rehearsal.Solver;

namespace MeTAI.Service.Rehearsals;

/// <summary>
/// The replay of a rehearsal: the chosen insertion simulated once more along the exported path
/// (<see cref="RehearsalPlan.Trajectory"/>, <c>trajectory.json</c>) with the same solver settings, every avatar node's
/// displacement from rest recorded <see cref="FramesPerSecond"/> times per simulated second. <c>replay.bin</c> holds
/// them as little-endian int16 in units of <see cref="QuantumMm"/>: frame-major, then node (the mesh's node index),
/// then x, y, z (LPS). The needle tip per frame goes into the scene JSON (docs/scene.md, <c>replay</c>).
/// </summary>
public static class RehearsalReplay
{
    /// <summary>The binary file of node displacements.</summary>
    public const string FileName = "replay.bin";

    /// <summary>Frames per simulated second.</summary>
    public const int FramesPerSecond = 30;

    /// <summary>One unit of the stored displacements, mm (int16: ±327 mm).</summary>
    public const double QuantumMm = 0.01;

    /// <summary>Simulates and writes <see cref="FileName"/> into <paramref name="directory"/>; returns what the scene needs.</summary>
    public static ReplayInfo Write(RehearsalInputs inputs, RehearsalPlan plan, XpbdSettings xpbd, NeedleSettings needle, InsertionSettings insertion,
        string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(xpbd);
        ArgumentNullException.ThrowIfNull(insertion);
        SoftBodyModel model = SoftBodyModel.Create(inputs.Avatar);
        using var solver = new XpbdSolver(model, xpbd with { Threads = 1 });
        var tool = new Needle(model, needle);
        tool.Follow(plan.Trajectory);
        var constraints = new NeedleConstraints(tool);
        double dt = xpbd.StepSeconds;
        int steps = (int)Math.Ceiling((plan.Trajectory.DurationSeconds + insertion.SettleSeconds) / dt);
        int every = Math.Max(1, (int)Math.Round(1.0 / (FramesPerSecond * dt)));
        int nodes = model.NodeCount;
        float[] rest = model.RestPositions;
        float[] positions = solver.State.Positions;
        var tips = new List<double[]>();
        using var buffer = new MemoryStream();
        byte[] frame = new byte[nodes * 3 * sizeof(short)];
        double scale = 1000.0 / QuantumMm; // solver metres → quanta
        for (int s = 0; s <= steps; s++)
        {
            if (s > 0)
            {
                solver.Step(ref constraints);
            }

            if (s % every != 0 && s != steps)
            {
                continue;
            }

            cancellationToken.ThrowIfCancellationRequested();
            for (int v = 0; v < nodes; v++)
            {
                for (int a = 0; a < 3; a++)
                {
                    double q = Math.Round((positions[(4 * v) + a] - rest[(4 * v) + a]) * scale);
                    BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(2 * ((3 * v) + a)), (short)Math.Clamp(q, short.MinValue, short.MaxValue));
                }
            }

            buffer.Write(frame);
            Vec3 tip = tool.TipLps;
            tips.Add([Math.Round(tip.X, 2), Math.Round(tip.Y, 2), Math.Round(tip.Z, 2)]);
        }

        AtomicFile.WriteAllBytes(Path.Combine(directory, FileName), buffer.ToArray());
        return new ReplayInfo(tips.Count, nodes, tips);
    }
}
