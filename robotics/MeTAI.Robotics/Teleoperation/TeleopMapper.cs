using MeTAI.Core.Geometry;

namespace MeTAI.Robotics.Teleoperation;

/// <summary>
/// Master pose → slave tool target, the dVRK way: incremental, scaled translation from anchors set when following
/// (re)starts — so a clutch re-indexes without a jump — and absolute orientation once master and slave agree within
/// the alignment tolerance (the residual offset at engagement, at most that tolerance, is kept so nothing jumps).
/// The master position is tremor-filtered (One-Euro) and the target's speed is limited. Allocation-free.
/// </summary>
public sealed class TeleopMapper
{
    private readonly TeleopOptions _options;
    private readonly OneEuroFilter _filter;
    private Vec3 _masterAnchor;
    private Vec3 _slaveAnchor;
    private Quat _orientationOffset = Quat.Identity;
    private Pose _lastTarget;
    private bool _engaged;

    /// <summary>Creates a mapper.</summary>
    public TeleopMapper(TeleopOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _filter = new OneEuroFilter(options.FilterMinCutoffHz, options.FilterBeta);
    }

    /// <summary>Options in use.</summary>
    public TeleopOptions Options => _options;

    /// <summary>True between <see cref="Engage"/> and <see cref="Disengage"/>.</summary>
    public bool IsEngaged => _engaged;

    /// <summary>Master pose expressed in the robot base frame (rotation only; positions stay relative).</summary>
    public Quat MasterOrientationInRobot(Quat masterOrientation) => (_options.MasterToRobot * masterOrientation).Normalized();

    /// <summary>Angle (rad) between the master orientation (in robot frame) and the slave tool orientation.</summary>
    public double AlignmentError(Quat masterOrientation, Quat slaveOrientation) =>
        Quat.AngleBetween(MasterOrientationInRobot(masterOrientation), slaveOrientation);

    /// <summary>Starts following: anchors the master and slave positions and the orientation offset.</summary>
    public void Engage(in Pose master, in Pose slaveTool)
    {
        _filter.Reset();
        _masterAnchor = _options.MasterToRobot.Rotate(_filter.Filter(master.Position, 0));
        _slaveAnchor = slaveTool.Position;
        _orientationOffset = (slaveTool.Orientation * MasterOrientationInRobot(master.Orientation).Conjugate()).Normalized();
        _lastTarget = slaveTool;
        _engaged = true;
    }

    /// <summary>Stops following (clutch, stop, hold).</summary>
    public void Disengage() => _engaged = false;

    /// <summary>The slave tool target for this master sample; <paramref name="dtS"/> is the time since the last call.</summary>
    public Pose Map(in Pose master, double dtS)
    {
        if (!_engaged)
        {
            throw new InvalidOperationException("Engage the mapper before mapping.");
        }

        Vec3 filtered = _filter.Filter(master.Position, dtS);
        Vec3 masterInRobot = _options.MasterToRobot.Rotate(filtered);
        Vec3 position = _slaveAnchor + (masterInRobot - _masterAnchor) * _options.TranslationScale;
        Quat orientation = (_orientationOffset * MasterOrientationInRobot(master.Orientation)).Normalized();
        RawPosition = position;

        // Velocity limiting of the target (translation and rotation) against the previous target.
        Vec3 step = position - _lastTarget.Position;
        double maxStep = _options.MaxToolSpeedMps * dtS;
        double length = step.Length;
        if (length > maxStep && length > 0)
        {
            position = _lastTarget.Position + step * (maxStep / length);
        }

        double angle = Quat.AngleBetween(_lastTarget.Orientation, orientation);
        double maxAngle = _options.MaxToolAngularSpeedRadS * dtS;
        if (angle > maxAngle && angle > 0)
        {
            orientation = Quat.Slerp(_lastTarget.Orientation, orientation, maxAngle / angle);
        }

        _lastTarget = new Pose(position, orientation);
        return _lastTarget;
    }

    /// <summary>Where the master asks the tool to be (scaled, filtered) before speed limiting and the fixture.</summary>
    public Vec3 RawPosition { get; private set; }

    /// <summary>Replaces the last target (after the fixture moved it onto the corridor wall), for the next speed limit.</summary>
    public void SetLastTarget(in Pose target) => _lastTarget = target;

    /// <summary>Master-frame vector of a robot-frame vector (force feedback).</summary>
    public Vec3 RobotToMaster(Vec3 robot) => _options.MasterToRobot.Conjugate().Rotate(robot);
}
