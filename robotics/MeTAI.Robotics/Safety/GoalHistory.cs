using System.Diagnostics;
using MeTAI.Robotics.Kinematics;

namespace MeTAI.Robotics.Safety;

/// <summary>
/// The goal in force (the servo counts last handed to the gate, or held by it) and the goals of the last
/// <see cref="Capacity"/> cycles, so that the tracking rule of <see cref="InterlockEvaluator"/> compares each servo
/// reading with the goals that drove the servos when it was taken, not with the newest goal. Written by the motion
/// steppers, recorded once per cycle by the loop; preallocated, owned by the loop thread.
/// </summary>
/// <param name="model">The robot (joint count, counts ↔ radians).</param>
/// <param name="trackingLagMs">How far before a reading's request a goal may lie and still count as driving the servo
/// then (servo response time).</param>
public sealed class GoalHistory(RobotModel model, double trackingLagMs)
{
    /// <summary>Cycles remembered (at 1 kHz, half a second: far more than the servo response time).</summary>
    public const int Capacity = 512;

    private readonly int _n = model.JointCount;
    private readonly long _lagTicks = (long)(trackingLagMs * 1e-3 * Stopwatch.Frequency);
    private readonly int[] _current = new int[model.JointCount];
    private readonly long[] _cycles = new long[Capacity];
    private readonly long[] _ticks = new long[Capacity];
    private readonly int[] _goals = new int[Capacity * model.JointCount];
    private int _head;
    private int _count;

    /// <summary>True while a goal is in force (torque on and a goal or hold sent since the last torque off).</summary>
    public bool HasCurrent { get; private set; }

    /// <summary>The goal in force (servo counts, joint order); meaningful while <see cref="HasCurrent"/>.</summary>
    public ReadOnlySpan<int> Current => _current;

    /// <summary>Cycles recorded since the goal in force was last forgotten (at most <see cref="Capacity"/>).</summary>
    public int Count => _count;

    /// <summary>Sets the goal in force (counts handed to the gate as motion, a hold, the power-up position).</summary>
    public void SetCurrent(ReadOnlySpan<int> goalCounts)
    {
        goalCounts.CopyTo(_current);
        HasCurrent = true;
    }

    /// <summary>
    /// Overwrites the counts of the goal in force, leaving <see cref="HasCurrent"/> as it is (the gate refused a goal
    /// and holds instead).
    /// </summary>
    public void OverwriteCurrent(ReadOnlySpan<int> goalCounts) => goalCounts.CopyTo(_current);

    /// <summary>Forgets the goal in force (torque off); the history is cleared at the next <see cref="Record"/>.</summary>
    public void ClearCurrent() => HasCurrent = false;

    /// <summary>End of <paramref name="cycle"/>: remembers the goal in force with the time now, or forgets every goal when none is.</summary>
    public void Record(long cycle)
    {
        if (!HasCurrent)
        {
            _count = 0;
            return;
        }

        _head = (_head + 1) % Capacity;
        _cycles[_head] = cycle;
        _ticks[_head] = Stopwatch.GetTimestamp();
        _current.CopyTo(_goals.AsSpan(_head * _n, _n));
        _count = Math.Min(_count + 1, Capacity);
    }

    /// <summary>
    /// Smallest |goal − <paramref name="measuredRad"/>| of <paramref name="joint"/> over the goals that may have driven
    /// the servo when the reading was taken: from the goal of <paramref name="fromCycle"/> (reaching back the servo
    /// response time, in real time) to the goal of <paramref name="toCycle"/>. 0 when no recorded goal qualifies.
    /// </summary>
    public double SmallestErrorRad(int joint, double measuredRad, long fromCycle, long toCycle)
    {
        JointSpec j = model.Joints[joint];
        double best = double.PositiveInfinity;
        long fromTicks = long.MinValue;
        for (int k = 0; k < _count; k++)
        {
            int slot = (_head - k + Capacity) % Capacity;
            long c = _cycles[slot];
            if (c > toCycle)
            {
                continue;
            }

            if (fromTicks == long.MinValue && c <= fromCycle)
            {
                fromTicks = _ticks[slot] - _lagTicks;
            }

            if (fromTicks != long.MinValue && _ticks[slot] < fromTicks)
            {
                break;
            }

            double e = Math.Abs(model.Servo.ToRad(_goals[slot * _n + joint], j) - measuredRad);
            best = Math.Min(best, e);
        }

        return double.IsPositiveInfinity(best) ? 0 : best;
    }
}
