using MeTAI.Core.Geometry;
using MeTAI.Rehearsal.Avatar;

namespace MeTAI.Rehearsal.Solver;

/// <summary>
/// The changing part of a soft body: node positions (with inverse masses in the fourth float), previous positions,
/// velocities and per-tet Lagrange multipliers, all float32 SI (see <see cref="SoftBodyModel"/>).
/// </summary>
public sealed class SoftBodyState
{
    /// <summary>A state at rest.</summary>
    public SoftBodyState(SoftBodyModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        int padded = (model.SlotCount + 7) & ~7;
        Positions = new float[model.RestPositions.Length];
        Previous = new float[model.RestPositions.Length];
        Velocities = new float[model.RestPositions.Length];
        LambdaH = new float[padded];
        LambdaD = new float[padded];
        Reset();
    }

    /// <summary>The model this state belongs to.</summary>
    public SoftBodyModel Model { get; }

    /// <summary>Per node: x, y, z (m, relative to <see cref="SoftBodyModel.OriginLps"/>), inverse mass (1/kg); one extra inert node at the end.</summary>
    public float[] Positions { get; }

    /// <summary>Positions at the start of the current substep.</summary>
    public float[] Previous { get; }

    /// <summary>Per node: vx, vy, vz (m/s), 0.</summary>
    public float[] Velocities { get; }

    /// <summary>Accumulated hydrostatic multipliers per slot (used when iterations &gt; 1).</summary>
    public float[] LambdaH { get; }

    /// <summary>Accumulated deviatoric multipliers per slot.</summary>
    public float[] LambdaD { get; }

    /// <summary>Simulated time in seconds.</summary>
    public double TimeSeconds { get; internal set; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; internal set; }

    /// <summary>Back to rest, time zero.</summary>
    public void Reset()
    {
        Array.Copy(Model.RestPositions, Positions, Positions.Length);
        Array.Copy(Model.RestPositions, Previous, Previous.Length);
        Array.Clear(Velocities);
        Array.Clear(LambdaH);
        Array.Clear(LambdaD);
        TimeSeconds = 0;
        Steps = 0;
    }

    /// <summary>Copies another state of the same model.</summary>
    public void CopyFrom(SoftBodyState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other.Model, Model))
        {
            throw new ArgumentException("States belong to different models.", nameof(other));
        }

        Array.Copy(other.Positions, Positions, Positions.Length);
        Array.Copy(other.Previous, Previous, Previous.Length);
        Array.Copy(other.Velocities, Velocities, Velocities.Length);
        Array.Copy(other.LambdaH, LambdaH, LambdaH.Length);
        Array.Copy(other.LambdaD, LambdaD, LambdaD.Length);
        TimeSeconds = other.TimeSeconds;
        Steps = other.Steps;
    }

    /// <summary>Current position of a node in LPS mm.</summary>
    public Vec3 NodeLps(int node) => Model.ToLps(Positions[4 * node], Positions[4 * node + 1], Positions[4 * node + 2]);

    /// <summary>Moves a node (for kinematic, i.e. fixed, nodes driven from outside: plates, bones).</summary>
    public void SetNodeLps(int node, Vec3 pointLps)
    {
        Model.ToSolver(pointLps, out float x, out float y, out float z);
        Positions[4 * node] = x;
        Positions[4 * node + 1] = y;
        Positions[4 * node + 2] = z;
    }

    /// <summary>Displacement of a node from rest in mm.</summary>
    public Vec3 DisplacementMm(int node) => new Vec3(
        Positions[4 * node] - Model.RestPositions[4 * node],
        Positions[4 * node + 1] - Model.RestPositions[4 * node + 1],
        Positions[4 * node + 2] - Model.RestPositions[4 * node + 2]) * 1000.0;

    /// <summary>Deformed position (LPS mm) of embedded point <paramref name="index"/>.</summary>
    public Vec3 EmbeddedLps(EmbeddedPoints points, int index)
    {
        ArgumentNullException.ThrowIfNull(points);
        int[] tets = Model.Mesh.Tets;
        int t = points.Tet[index];
        double x = 0, y = 0, z = 0;
        for (int c = 0; c < 4; c++)
        {
            int q = 4 * tets[4 * t + c];
            double w = points.Weights[4 * index + c];
            x += w * Positions[q];
            y += w * Positions[q + 1];
            z += w * Positions[q + 2];
        }

        return Model.ToLps(x, y, z);
    }

    /// <summary>Deformed volume of the whole mesh in mm³ (double-precision sum).</summary>
    public double VolumeMm3()
    {
        int[] tets = Model.Mesh.Tets;
        double sum = 0;
        for (int t = 0; t < Model.Mesh.TetCount; t++)
        {
            sum += TetMesh.SignedVolume(NodeLps(tets[4 * t]), NodeLps(tets[4 * t + 1]), NodeLps(tets[4 * t + 2]), NodeLps(tets[4 * t + 3]));
        }

        return sum;
    }
}
