using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Control.Motion;

/// <summary>
/// The commanded joints shared by every motion stepper: their positions (rad) and velocities (rad/s), the rate limiter
/// that moves them toward a target one loop period (<c>periodS</c>) at a time, and the hand-off of each cycle's goal to
/// the <see cref="ServoCommandGate"/>, keeping the goal in force in the <see cref="GoalHistory"/>. Allocation-free;
/// owned by the loop thread.
/// </summary>
internal sealed class JointCommand(RobotModel model, ServoCommandGate gate, GoalHistory goals, double periodS, bool clampJoints)
{
    /// <summary>
    /// Fraction of a joint's velocity limit that commanded motion cruises at. The servo is given the full limit as its
    /// Profile Velocity (rounded down to the servo's unit), so a move planned at the limit itself outruns the servo: it
    /// can never close the lag it picks up from its time constant and from scheduling delays, and a long move at full
    /// speed ends in a tracking fault with nothing jammed. 10 % headroom lets the servo catch up; measured on the
    /// bundled radiotherapy-delivery scenario (forearm roll at 2 rad/s for seconds), which faulted on lag at the
    /// shipped 50 ms tracking window without it.
    /// </summary>
    public const double CruiseFraction = 0.9;

    private readonly double[] _qCmd = new double[model.JointCount];
    private readonly double[] _vCmd = new double[model.JointCount];
    private readonly double[] _qTarget = new double[model.JointCount];
    private readonly int[] _goalCounts = new int[model.JointCount];

    /// <summary>Joint targets and commanded joints are clamped to the joint limits (off only for HIL negative tests).</summary>
    public bool ClampJoints => clampJoints;

    /// <summary>Commanded joints (rad).</summary>
    public ReadOnlySpan<double> CommandRad => _qCmd;

    /// <summary>Tool pose of the commanded joints (robot base frame).</summary>
    public Pose CommandPose() => model.ForwardKinematics(_qCmd);

    /// <summary>Writes the gate's hold position; while the gate holds, that is the goal in force.</summary>
    public void Hold(in CommandStamp stamp)
    {
        gate.Hold(stamp);
        if (gate.IsHolding)
        {
            goals.SetCurrent(gate.HoldCounts);
        }
    }

    /// <summary>Power-up is done: hold where torque was enabled, command exactly that, at rest.</summary>
    public void HoldAt(ReadOnlySpan<int> counts)
    {
        gate.SetHold(counts);
        goals.SetCurrent(counts);
        model.ToRad(counts, _qCmd);
        Stop();
    }

    /// <summary>A motion starts: from the gate's hold position if it holds, at rest.</summary>
    public void StartFromHold()
    {
        if (gate.IsHolding)
        {
            model.ToRad(gate.HoldCounts, _qCmd);
        }

        Stop();
    }

    /// <summary>Zeroes the commanded velocities.</summary>
    public void Stop() => Array.Clear(_vCmd);

    /// <summary>
    /// One cycle toward <paramref name="targetRad"/> (clamped to the limits when <paramref name="clampTarget"/> and
    /// clamping is on): rate-limit the commanded joints, then submit them to the gate.
    /// </summary>
    public void MoveToward(ReadOnlySpan<double> targetRad, bool clampTarget, Interlocks live, in CommandStamp stamp)
    {
        targetRad.CopyTo(_qTarget);
        if (clampTarget && ClampJoints)
        {
            model.ClampToLimits(_qTarget);
        }

        RateLimit();
        Submit(live, stamp);
    }

    /// <summary>
    /// True when the last target is reached: commanded within 1e-4 rad at under 1e-3 rad/s, and measured within 0.01 rad.
    /// </summary>
    public bool IsSettled(ReadOnlySpan<double> measuredRad)
    {
        double maxCmd = 0, maxMeas = 0, maxV = 0;
        for (int i = 0; i < _qCmd.Length; i++)
        {
            maxCmd = Math.Max(maxCmd, Math.Abs(_qTarget[i] - _qCmd[i]));
            maxMeas = Math.Max(maxMeas, Math.Abs(_qTarget[i] - measuredRad[i]));
            maxV = Math.Max(maxV, Math.Abs(_vCmd[i]));
        }

        return maxCmd < 1e-4 && maxV < 1e-3 && maxMeas < 0.01;
    }

    // The gate lets motion through (the goal in force now) or holds (command the hold position, at rest).
    private void Submit(Interlocks live, in CommandStamp stamp)
    {
        model.ToCounts(_qCmd, _goalCounts);
        GateDecision decision = gate.Submit(_goalCounts, live, stamp);
        if (decision == GateDecision.Motion)
        {
            goals.SetCurrent(_goalCounts);
        }
        else if (decision == GateDecision.Hold && gate.IsHolding)
        {
            goals.OverwriteCurrent(gate.HoldCounts);
            model.ToRad(gate.HoldCounts, _qCmd);
            Stop();
        }
    }

    // Per joint: approach the target with at most the cruise velocity (CruiseFraction of the limit), decelerating in
    // time (v ≤ √(2·a·|e|)), and change velocity by at most the acceleration limit per cycle.
    private void RateLimit()
    {
        for (int i = 0; i < _qCmd.Length; i++)
        {
            JointSpec j = model.Joints[i];
            double e = _qTarget[i] - _qCmd[i];
            double vMax = Math.Min(CruiseFraction * j.MaxVelocityRadS, Math.Sqrt(2 * j.MaxAccelerationRadS2 * Math.Abs(e)));
            vMax = Math.Min(vMax, Math.Abs(e) / periodS);
            double vDesired = Math.Sign(e) * vMax;
            double dv = Math.Clamp(vDesired - _vCmd[i], -j.MaxAccelerationRadS2 * periodS, j.MaxAccelerationRadS2 * periodS);
            double v = _vCmd[i] + dv;
            if (Math.Abs(v * periodS) > Math.Abs(e) && Math.Sign(v) == Math.Sign(e))
            {
                v = e / periodS;
            }

            _vCmd[i] = v;
            _qCmd[i] = ClampJoints ? Math.Clamp(_qCmd[i] + v * periodS, j.MinRad, j.MaxRad) : _qCmd[i] + v * periodS;
        }
    }
}
