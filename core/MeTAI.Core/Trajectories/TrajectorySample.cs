using MeTAI.Core.Geometry;

namespace MeTAI.Core.Trajectories;

/// <summary>
/// One sample of a <see cref="Trajectory"/>: at <see cref="TSeconds"/> the instrument tip is at <see cref="TipLps"/>
/// (millimetres, in the trajectory's frame — patient LPS unless transformed) pointing along the unit vector
/// <see cref="Direction"/> (from the hub towards the tip, i.e. the direction of insertion).
/// </summary>
/// <param name="TSeconds">Time since the start of the trajectory, in seconds.</param>
/// <param name="TipLps">Tip position in mm (patient LPS unless the trajectory was transformed).</param>
/// <param name="Direction">Unit insertion direction.</param>
public readonly record struct TrajectorySample(double TSeconds, Vec3 TipLps, Vec3 Direction);
