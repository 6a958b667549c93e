using System.Diagnostics;
using MeTAI.Core.Geometry;
using MeTAI.Robotics.Kinematics;
using MeTAI.Robotics.Safety;

namespace MeTAI.Robotics.Radiotherapy;

/// <summary>
/// Decides each control cycle whether the linac may irradiate: only in <see cref="SafetyState.Ready"/>, with the arm
/// stationary at the planned pose of the beam the linac requests, the patient's target within tolerance, and no
/// interlock active (other than <see cref="Interlocks.BeamOn"/> itself). Allocation-free; owned by the loop thread.
/// </summary>
public sealed class BeamGate
{
    private readonly RobotModel _model;
    private readonly BeamGateOptions _options;
    private readonly double[] _qRef;
    private readonly long _windowTicks;
    private readonly long _patientStaleTicks;
    private readonly long _linacStaleTicks;
    private long _refTicks;
    private bool _moving = true;

    /// <summary>Creates the gate for <paramref name="model"/>.</summary>
    public BeamGate(RobotModel model, BeamGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
        _qRef = new double[model.JointCount];
        _windowTicks = (long)(options.SpeedWindowMs * 1e-3 * Stopwatch.Frequency);
        _patientStaleTicks = (long)(options.PatientStaleMs * 1e-3 * Stopwatch.Frequency);
        _linacStaleTicks = (long)(options.LinacStaleMs * 1e-3 * Stopwatch.Frequency);
    }

    /// <summary>Settings.</summary>
    public BeamGateOptions Options => _options;

    /// <summary>Last position error to the planned pose (m; +∞ without a plan).</summary>
    public double PositionErrorM { get; private set; } = double.PositiveInfinity;

    /// <summary>Last orientation error to the planned pose (rad; +∞ without a plan).</summary>
    public double OrientationErrorRad { get; private set; } = double.PositiveInfinity;

    /// <summary>True when the linac status is missing or older than <see cref="BeamGateOptions.LinacStaleMs"/>.</summary>
    public bool IsLinacStale(in LinacReading linac, long nowTicks) => linac.ReceivedTicks == 0 || nowTicks - linac.ReceivedTicks > _linacStaleTicks;

    /// <summary>Feeds a new servo reading (measured joints at <paramref name="ticks"/>) to the speed estimate.</summary>
    public void UpdateMeasured(ReadOnlySpan<double> measuredRad, long ticks)
    {
        if (_refTicks == 0)
        {
            measuredRad.CopyTo(_qRef);
            _refTicks = ticks;
            _moving = true;
            return;
        }

        if (ticks - _refTicks < _windowTicks)
        {
            return;
        }

        double dtS = (ticks - _refTicks) / (double)Stopwatch.Frequency;
        bool moving = false;
        for (int i = 0; i < _qRef.Length; i++)
        {
            moving |= Math.Abs(measuredRad[i] - _qRef[i]) / dtS > _options.StationaryRadS;
        }

        _moving = moving;
        measuredRad.CopyTo(_qRef);
        _refTicks = ticks;
    }

    /// <summary>Forgets the speed estimate (torque went off, the bus was silent).</summary>
    public void ResetSpeed()
    {
        _refTicks = 0;
        _moving = true;
    }

    /// <summary>
    /// The reasons to withhold the permit now (none: permitted). <paramref name="otherInterlocks"/> are this cycle's
    /// interlock bits without <see cref="Interlocks.BeamOn"/>; <paramref name="armedBeam"/> is the beam whose pose the
    /// arm was moved to (0: none) and <paramref name="planned"/> that pose (robot base frame).
    /// </summary>
    public BeamHoldReasons Evaluate(SafetyState state, Interlocks otherInterlocks, ReadOnlySpan<double> measuredRad, long nowTicks,
        in LinacReading linac, in PatientMotionReading patient, int armedBeam, in Pose planned)
    {
        BeamHoldReasons reasons = BeamHoldReasons.None;
        if (IsLinacStale(linac, nowTicks))
        {
            reasons |= BeamHoldReasons.LinacStale;
        }

        if (linac.Beam <= 0)
        {
            reasons |= BeamHoldReasons.NoRequest;
        }
        else if (linac.Beam != armedBeam)
        {
            reasons |= BeamHoldReasons.WrongBeam;
        }

        if (state != SafetyState.Ready)
        {
            reasons |= BeamHoldReasons.NotReady;
        }

        if (armedBeam > 0)
        {
            Pose tool = _model.ForwardKinematics(measuredRad);
            PositionErrorM = (tool.Position - planned.Position).Length;
            OrientationErrorRad = Quat.AngleBetween(tool.Orientation, planned.Orientation);
            if (PositionErrorM > _options.PoseToleranceM || OrientationErrorRad > _options.OrientationToleranceRad)
            {
                reasons |= BeamHoldReasons.OffPose;
            }
        }
        else
        {
            PositionErrorM = double.PositiveInfinity;
            OrientationErrorRad = double.PositiveInfinity;
            reasons |= BeamHoldReasons.OffPose;
        }

        if (_moving)
        {
            reasons |= BeamHoldReasons.Moving;
        }

        if (patient.ReceivedTicks == 0 || nowTicks - patient.ReceivedTicks > _patientStaleTicks)
        {
            if (_options.RequirePatientMonitor)
            {
                reasons |= BeamHoldReasons.PatientMonitorStale;
            }
        }
        else if (patient.DisplacementMm.Length > _options.PatientToleranceMm)
        {
            reasons |= BeamHoldReasons.PatientMotion;
        }

        if (otherInterlocks != Interlocks.None)
        {
            reasons |= BeamHoldReasons.Interlock;
        }

        return reasons;
    }
}
