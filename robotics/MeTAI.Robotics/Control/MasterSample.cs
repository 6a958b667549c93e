using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Control;

/// <summary>One haptic-master sample: pose in the master's base frame (metres), buttons and provenance.</summary>
/// <param name="Pose">Stylus pose.</param>
/// <param name="Clutch">Clutch pedal/button pressed.</param>
/// <param name="OperatorPresent">Deadman / operator-present input pressed.</param>
/// <param name="Sequence">Sender's sequence number (≥ 1).</param>
/// <param name="SentTicks">Sender's Stopwatch ticks (same monotonic clock on one machine).</param>
public readonly record struct MasterSample(Pose Pose, bool Clutch, bool OperatorPresent, long Sequence, long SentTicks);
