using MeTAI.Core.Geometry;

namespace MeTAI.Simulation.Haptics;

/// <summary>A force message as the master twin received it.</summary>
/// <param name="Ticks">Stopwatch ticks at receipt.</param>
/// <param name="ForceN">Force in the master's base frame (N).</param>
/// <param name="FixtureActive">The corridor fixture was pushing.</param>
public readonly record struct ForceSample(long Ticks, Vec3 ForceN, bool FixtureActive);
