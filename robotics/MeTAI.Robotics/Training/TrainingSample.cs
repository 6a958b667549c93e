using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Training;

/// <summary>One sample of a training attempt, as the service's recorder takes them (100 Hz).</summary>
/// <param name="TimeS">Time since the attempt began (s, monotonic; non-decreasing from one sample to the next).</param>
/// <param name="TipM">Tool tip position from the measured joints through forward kinematics (robot base frame, m).</param>
/// <param name="ForceN">Magnitude of the restoring force the controller sends the master (N).</param>
/// <param name="InCorridor">The tool tip was inside the corridor (true when there is none).</param>
public readonly record struct TrainingSample(double TimeS, Vec3 TipM, double ForceN, bool InCorridor);
