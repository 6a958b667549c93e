using MeTAI.Core.Geometry;
using MeTAI.Core.Trajectories;

namespace MeTAI.Hil.Traces;

/// <summary>What the runner knows about the plan when the trace is built.</summary>
public sealed class TraceContext
{
    /// <summary>The scenario's corridor in the robot frame (m), whether or not the controller's fixture uses it.</summary>
    public Corridor? CorridorRobot { get; init; }

    /// <summary>Planned beam poses (robot frame) by beam number.</summary>
    public IReadOnlyDictionary<int, Pose> BeamPoses { get; init; } = new Dictionary<int, Pose>();

    /// <summary>Planned MU by beam number (as delivered in HIL).</summary>
    public IReadOnlyDictionary<int, double> BeamMu { get; init; } = new Dictionary<int, double>();
}
