using MeTAI.Robotics.Control;
using MeTAI.Simulation;

namespace MeTAI.Hil.Runner;

/// <summary>What a <see cref="HilRig"/> starts.</summary>
public sealed class HilRigOptions
{
    /// <summary>
    /// The simulated rig: robot, controller settings, servo physics, linac and patient twins, broker, accounts (none: the
    /// seven of <see cref="HilRig.DefaultUsers"/>) and audit log (none: a temporary file). Its <see cref="SimulatedRigOptions.Seed"/>
    /// also seeds the fault proxy's draws. The HIL adds the proxy, the e-stop button and the operator console.
    /// </summary>
    public required SimulatedRigOptions Rig { get; init; }

    /// <summary>Test-only switches that remove a safety function from the controller (negative tests).</summary>
    internal UnsafeTestOptions? Unsafe { get; init; }
}
