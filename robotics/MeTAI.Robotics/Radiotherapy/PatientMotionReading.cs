using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Radiotherapy;

/// <summary>The patient-motion source's last reading as the controller received it.</summary>
/// <param name="DisplacementMm">Displacement of the target from its planning position (patient LPS mm).</param>
/// <param name="ReceivedTicks">Stopwatch ticks when it arrived (0: never).</param>
public readonly record struct PatientMotionReading(Vec3 DisplacementMm, long ReceivedTicks);
