using MeTAI.Core.Geometry;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control;

/// <summary>One consistent view of the loop's outputs.</summary>
/// <param name="Cycle">Cycle index.</param>
/// <param name="State">Supervisor state.</param>
/// <param name="Interlocks">Active interlocks.</param>
/// <param name="ForceMasterN">Restoring force for the master (master frame, N).</param>
/// <param name="FixtureActive">The corridor fixture is pushing.</param>
/// <param name="ToolM">Commanded tool position (robot base, m).</param>
public readonly record struct ControllerSnapshot(long Cycle, SafetyState State, Interlocks Interlocks, Vec3 ForceMasterN, bool FixtureActive, Vec3 ToolM);
