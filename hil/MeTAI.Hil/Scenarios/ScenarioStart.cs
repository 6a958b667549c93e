namespace MeTAI.Hil.Scenarios;

/// <summary>The state the rig brings the controller to before scenario time 0.</summary>
public enum ScenarioStart
{
    /// <summary>Torque off.</summary>
    Disabled,

    /// <summary>Powered, not homed.</summary>
    Enabled,

    /// <summary>Homed and holding.</summary>
    Ready,

    /// <summary>Teleoperating, the arm following the master.</summary>
    Following,
}
